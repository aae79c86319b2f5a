/**
 * `steps` vectors evenly spaced on the straight line from `from` to `to`, both ends included
 * (the paper shows 64 images between two latents).
 */
export function interpolateLatents(from: ArrayLike<number>, to: ArrayLike<number>, steps: number): Float32Array[] {
  if (from.length !== to.length) throw new RangeError(`interpolateLatents: latents have ${from.length} and ${to.length} values`);
  if (!Number.isInteger(steps) || steps < 2) throw new RangeError(`interpolateLatents: steps must be an integer >= 2, got ${steps}`);
  return Array.from({ length: steps }, (_, s) => {
    const t = s / (steps - 1);
    return Float32Array.from({ length: from.length }, (_, j) => (1 - t) * (from[j] as number) + t * (to[j] as number));
  });
}
