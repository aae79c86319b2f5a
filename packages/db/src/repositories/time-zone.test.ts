import { describe, expect, it } from 'vitest';
import { checkTimeZone } from './time-zone';

describe('checkTimeZone', () => {
  it('knows UTC and its aliases from other zones', () => {
    for (const zone of ['UTC', 'Etc/UTC', 'GMT']) expect(checkTimeZone(zone)).toEqual({ isUtc: true });
    for (const zone of ['Asia/Shanghai', 'America/Chicago', 'Asia/Kolkata', 'Europe/London']) expect(checkTimeZone(zone)).toEqual({ isUtc: false });
    // Answered from the cache the second time, the same way.
    expect(checkTimeZone('Asia/Kolkata')).toEqual({ isUtc: false });
  });

  it('refuses what is not an IANA name, every time', () => {
    for (const zone of ['', 'Mars/Olympus_Mons', '+05:30', 'UTC+3', 'Asia/Shanghai; DROP', '../etc/passwd']) {
      expect(() => checkTimeZone(zone), zone).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
      expect(() => checkTimeZone(zone), zone).toThrow(/IANA time-zone name/);
    }
  });
});
