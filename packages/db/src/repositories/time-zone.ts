import type { Db } from '../client';
import { BadInputError } from '../errors';

// IANA names only ("Asia/Shanghai", "America/Chicago", "UTC"): PostgreSQL would also take POSIX
// strings such as "UTC+3", whose sign is the opposite of what most people mean.
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

// Valid names seen so far -> whether they are UTC. Building an Intl.DateTimeFormat costs ~1 ms
// of CPU, too much for every trends call; the valid names are a finite set (~600), and invalid
// ones are never stored.
const known = new Map<string, boolean>([['UTC', true]]);

/**
 * Checks an IANA time-zone name; BAD_INPUT otherwise. Returns whether it is UTC itself (or an
 * alias of it, such as Etc/UTC or GMT), whose days are the rollups' own days.
 */
export function checkTimeZone(timeZone: string): { isUtc: boolean } {
  const cached = known.get(timeZone);
  if (cached !== undefined) return { isUtc: cached };
  let resolved: string;
  try {
    if (!IANA_NAME.test(timeZone)) throw new RangeError(timeZone);
    resolved = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw new BadInputError(`timeZone must be an IANA time-zone name such as "Asia/Shanghai" or "America/Chicago"; "${timeZone}" is not one`);
  }
  if (known.size < 2000) known.set(timeZone, resolved === 'UTC');
  return { isUtc: resolved === 'UTC' };
}

/** True for PostgreSQL's "time zone ... not recognized" (a name Node's ICU knows but it does not). */
export function isUnknownTimeZoneError(err: unknown): boolean {
  return /time zone .* not recognized/i.test(err instanceof Error ? err.message : String(err));
}

const HOUR_MS = 3_600_000;

/**
 * The whole UTC hours in [from, to) that a boundary of the zone's local `bucket`s falls strictly
 * inside: for day and week buckets one hour per local midnight in zones whose offset is not a
 * whole number of hours (Asia/Kolkata, +05:30), none in whole-hour zones (DST included); for
 * hour buckets every hour of such zones. Asked of PostgreSQL, so that it is the same
 * date_trunc(bucket, t, zone) that groups the counts.
 */
export async function hoursCutByLocalBuckets(db: Db, range: { from: Date; to: Date }, bucket: 'hour' | 'day' | 'week', timeZone: string): Promise<Date[]> {
  const first = Math.ceil(range.from.getTime() / HOUR_MS) * HOUR_MS;
  const end = Math.floor(range.to.getTime() / HOUR_MS) * HOUR_MS;
  if (first >= end) return [];
  // The bucket holding an hour's last microsecond starts after the hour does: a boundary is inside.
  const rows = await db.$queryRaw<{ h: Date }[]>`
    SELECT cut."h" AS h
    FROM generate_series(${new Date(first)}::timestamptz, ${new Date(end - HOUR_MS)}::timestamptz, interval '1 hour') AS cut("h")
    WHERE date_trunc(${bucket}, cut."h" + interval '1 hour' - interval '1 microsecond', ${timeZone}) > cut."h"`;
  return rows.map((r) => new Date(r.h));
}
