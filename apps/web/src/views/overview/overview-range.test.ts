import { describe, expect, it } from 'vitest';
import { previousPeriod, rangeFromParams } from './overview-range';

const now = new Date('2026-05-10T12:00:30Z');

describe('the overview period from the URL', () => {
  it('defaults to the last 7 days by day, ending at the next whole minute', () => {
    const r = rangeFromParams(new URLSearchParams(), now);
    expect(r).toMatchObject({ key: '7d', bucket: 'DAY' });
    expect(r.to.toISOString()).toBe('2026-05-10T12:01:00.000Z');
    expect(r.to.getTime() - r.from.getTime()).toBe(7 * 86_400_000);
  });

  it('takes a custom from/to, and widens an hourly bucket that would draw a year of hours', () => {
    const r = rangeFromParams(new URLSearchParams({ from: '2025-05-10T00:00:00Z', to: '2026-05-10T00:00:00Z', bucket: 'HOUR' }), now);
    expect(r.key).toBe('custom');
    expect(r.bucket).toBe('DAY');
  });

  it('ignores a reversed custom range, and compares against the period of the same length before', () => {
    const r = rangeFromParams(new URLSearchParams({ from: '2026-05-10T00:00:00Z', to: '2026-05-01T00:00:00Z', range: '24h' }), now);
    expect(r.key).toBe('24h');
    const before = previousPeriod(r);
    expect(before.to).toEqual(r.from);
    expect(before.to.getTime() - before.from.getTime()).toBe(86_400_000);
  });
});
