// Instants shown and stepped in the factory's time zone (IANA), with Intl only: trend buckets
// start at local midnight (ADR 0012), so a day's end is the next local midnight, not +24 h.
import type { TrendBucket } from '@gansight/client';

type Wall = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const wallFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock reading of `instant` in `timeZone`. */
export function wallClock(instant: Date, timeZone: string): Wall {
  let format = wallFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    wallFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return { year: +parts.year!, month: +parts.month!, day: +parts.day!, hour: +parts.hour!, minute: +parts.minute!, second: +parts.second! };
}

/** The instant whose wall clock in `timeZone` reads `wall` (the earlier one in a DST overlap). */
export function fromWallClock(wall: Wall, timeZone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  let guess = asUtc;
  // Two rounds settle the offset, including across a DST change between the guess and the answer.
  for (let i = 0; i < 2; i++) {
    const w = wallClock(new Date(guess), timeZone);
    const offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - guess;
    guess = asUtc - offset;
  }
  return new Date(guess);
}

/** `instant` moved by whole local days (23 or 25 hours over a DST change). */
export function addLocalDays(instant: Date, days: number, timeZone: string): Date {
  const w = wallClock(instant, timeZone);
  const shifted = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return fromWallClock({ ...w, year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() }, timeZone);
}

/** Where the bucket that starts at `start` ends: an hour later, or the next local day or week. */
export function bucketEnd(start: Date, bucket: TrendBucket, timeZone: string): Date {
  if (bucket === 'HOUR') return new Date(start.getTime() + 3_600_000);
  return addLocalDays(start, bucket === 'DAY' ? 1 : 7, timeZone);
}

// Building an Intl.DateTimeFormat costs far more than using one; a grid formats hundreds of
// dates per scroll, so formatters are kept per (zone, style).
const formats = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formats.get(key);
  if (!f) formats.set(key, (f = make()));
  return f;
}

/** A bucket's label: hours with their time, days and weeks by date, all in the factory's zone. */
export function formatBucket(instant: Date | string, bucket: TrendBucket, timeZone: string): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  const hourly = bucket === 'HOUR';
  const f = formatter(`${timeZone}|${hourly ? 'hour' : 'day'}`, () =>
    new Intl.DateTimeFormat('en-GB', hourly ? { timeZone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : { timeZone, month: 'short', day: 'numeric' }),
  );
  return (bucket === 'WEEK' ? 'wk ' : '') + f.format(d);
}

/** A moment as people read it in the factory: date and time in its zone. */
export function formatInstant(instant: Date | string | null | undefined, timeZone: string): string {
  if (!instant) return '—';
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  return formatter(`${timeZone}|instant`, () => new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' })).format(d);
}
