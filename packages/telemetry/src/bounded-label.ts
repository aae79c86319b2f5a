/**
 * A label value that can take at most `max` distinct values in this process: the first `max`
 * seen pass, later new ones become `overflow`. Client-chosen strings (GraphQL operation names)
 * would otherwise grow Prometheus' series without end.
 */
export function boundedLabel(max: number, overflow = 'other'): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= max) return overflow;
    seen.add(value);
    return value;
  };
}
