// Arguments that must never reach the audit trail (secrets) or would bloat it (image bytes).
const SECRET_KEY = /password|passwd|passphrase|token|secret|base64|api[-_]?key|authorization|cookie|credential|private[-_]?key/i;

/** How much of a mutation's arguments an audit row keeps. */
export const AUDIT_DETAIL_LIMITS = {
  /** Objects and arrays nested deeper than this are replaced by a marker. */
  maxDepth: 8,
  maxStringLength: 500,
  maxKeyLength: 100,
  maxArrayItems: 50,
  /** Rough size of the whole `details` JSON; what does not fit is dropped with a marker. */
  maxChars: 16_000,
};

/**
 * A mutation's arguments as the audit trail keeps them: secrets redacted by key name and every
 * string, key, array and nesting level bounded, at every depth, and the whole value held to
 * about `maxChars` (a walk that stopped at depth 4 once stored a nested password in clear and
 * a 3 MB row).
 */
export function boundAuditDetails(args: unknown, limits = AUDIT_DETAIL_LIMITS): Record<string, unknown> {
  const budget = { left: limits.maxChars };
  const bounded = walk(args, 0, budget, limits);
  return bounded && typeof bounded === 'object' && !Array.isArray(bounded) ? (bounded as Record<string, unknown>) : { value: bounded };
}

function walk(value: unknown, depth: number, budget: { left: number }, limits: typeof AUDIT_DETAIL_LIMITS): unknown {
  if (value instanceof Date) value = value.toISOString();
  if (typeof value === 'string') {
    const kept = value.length > limits.maxStringLength ? `${value.slice(0, limits.maxStringLength)}...` : value;
    budget.left -= kept.length + 2;
    return kept;
  }
  if (value === null || typeof value !== 'object') {
    budget.left -= 8;
    return typeof value === 'bigint' ? String(value) : value;
  }
  if (depth >= limits.maxDepth) {
    budget.left -= 20;
    return '[nested too deep]';
  }
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value.slice(0, limits.maxArrayItems)) {
      if (budget.left <= 0) break;
      items.push(walk(item, depth + 1, budget, limits));
    }
    if (items.length < value.length) items.push(`[${value.length - items.length} more items]`);
    return items;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const kept: Record<string, unknown> = {};
  let count = 0;
  for (const [rawKey, item] of entries) {
    if (budget.left <= 0) break;
    const key = rawKey.length > limits.maxKeyLength ? `${rawKey.slice(0, limits.maxKeyLength)}...` : rawKey;
    budget.left -= key.length + 4;
    kept[key] = SECRET_KEY.test(rawKey) ? '[redacted]' : walk(item, depth + 1, budget, limits);
    count++;
  }
  if (count < entries.length) kept['[truncated]'] = `${entries.length - count} more keys`;
  return kept;
}
