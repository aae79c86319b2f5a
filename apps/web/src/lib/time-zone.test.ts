import { describe, expect, it } from 'vitest';
import { addLocalDays, bucketEnd, formatBucket, fromWallClock, wallClock } from './time-zone';

describe('time-zone helpers (the overview opens a bucket as the API cut it)', () => {
  it('a day bucket in Chicago ends at the next local midnight, 23 hours later on the spring DST day', () => {
    // 2026-03-08 is the US spring-forward day: local midnight to local midnight is 23 hours.
    const start = fromWallClock({ year: 2026, month: 3, day: 8, hour: 0, minute: 0, second: 0 }, 'America/Chicago');
    expect(start.toISOString()).toBe('2026-03-08T06:00:00.000Z');
    const end = bucketEnd(start, 'DAY', 'America/Chicago');
    expect(end.toISOString()).toBe('2026-03-09T05:00:00.000Z');
    expect((end.getTime() - start.getTime()) / 3_600_000).toBe(23);
  });

  it('a week bucket is seven local days, an hour bucket one hour', () => {
    const monday = new Date('2026-06-01T00:00:00+08:00');
    expect(bucketEnd(monday, 'WEEK', 'Asia/Shanghai').toISOString()).toBe(new Date('2026-06-08T00:00:00+08:00').toISOString());
    expect(bucketEnd(monday, 'HOUR', 'Asia/Shanghai').getTime() - monday.getTime()).toBe(3_600_000);
  });

  it('reads wall clocks in half-hour zones and labels buckets in the factory zone, not the browser one', () => {
    const instant = new Date('2026-01-15T18:45:00Z');
    expect(wallClock(instant, 'Asia/Kolkata')).toMatchObject({ day: 16, hour: 0, minute: 15 });
    expect(addLocalDays(instant, 1, 'Asia/Kolkata').toISOString()).toBe('2026-01-16T18:45:00.000Z');
    expect(formatBucket('2026-01-15T18:30:00Z', 'HOUR', 'Asia/Kolkata')).toMatch(/16 Jan.*00:00/);
  });
});
