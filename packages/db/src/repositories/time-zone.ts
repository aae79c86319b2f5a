import { BadInputError } from '../errors';

// IANA names only ("Asia/Shanghai", "America/Chicago", "UTC"): PostgreSQL would also take POSIX
// strings such as "UTC+3", whose sign is the opposite of what most people mean.
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/**
 * Checks an IANA time-zone name; BAD_INPUT otherwise. Returns whether it is UTC itself (or an
 * alias of it, such as Etc/UTC or GMT), whose days are the rollups' own days.
 */
export function checkTimeZone(timeZone: string): { isUtc: boolean } {
  let resolved: string;
  try {
    if (!IANA_NAME.test(timeZone)) throw new RangeError(timeZone);
    resolved = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw new BadInputError(`timeZone must be an IANA time-zone name such as "Asia/Shanghai" or "America/Chicago"; "${timeZone}" is not one`);
  }
  return { isUtc: resolved === 'UTC' };
}

/** True for PostgreSQL's "time zone ... not recognized" (a name Node's ICU knows but it does not). */
export function isUnknownTimeZoneError(err: unknown): boolean {
  return /time zone .* not recognized/i.test(err instanceof Error ? err.message : String(err));
}
