/** Parses a numeric flag, exiting with a message naming it when it is not a number in range. */
export function numberFlag(value: string, flag: string, { min = -Infinity, integer = false } = {}): number {
  const v = Number(value);
  if (!Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
    process.stderr.write(`${flag} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got "${value}"\n`);
    process.exit(2);
  }
  return v;
}
