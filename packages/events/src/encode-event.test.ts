import { describe, expect, it } from 'vitest';
import { encodeEvent, isEventError, MAX_EVENT_BYTES, matchesFilter, parseEvent } from './index';

describe('encodeEvent', () => {
  it('round-trips an event through its NOTIFY payload', () => {
    const json = encodeEvent({ factoryId: 'f1', kind: 'training.progress', id: 'r1', data: { step: 3 } }, new Date(0));
    expect(parseEvent(json)).toEqual({ factoryId: 'f1', kind: 'training.progress', id: 'r1', data: { step: 3 }, at: '1970-01-01T00:00:00.000Z' });
  });

  it('refuses events without a factory, of unknown kinds, or too large for NOTIFY', () => {
    const fail = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return isEventError(err) ? err.code : 'OTHER';
      }
      return 'NONE';
    };
    expect(fail(() => encodeEvent({ factoryId: '', kind: 'training.progress', id: 'r' }))).toBe('BAD_EVENT');
    expect(fail(() => encodeEvent({ factoryId: 'f', kind: 'nope' as 'training.progress', id: 'r' }))).toBe('BAD_EVENT');
    expect(fail(() => encodeEvent({ factoryId: 'f', kind: 'training.sample', id: 'r', data: { x: 'y'.repeat(MAX_EVENT_BYTES) } }))).toBe('EVENT_TOO_LARGE');
  });

  it('ignores foreign payloads and filters by factory first', () => {
    expect(parseEvent('{"hello":1}')).toBeNull();
    expect(parseEvent('not json')).toBeNull();
    const e = parseEvent(encodeEvent({ factoryId: 'f1', kind: 'inspection.completed', id: 'i1' }))!;
    expect(matchesFilter(e, { factoryId: 'f2' })).toBe(false);
    expect(matchesFilter(e, { factoryId: 'f1', topic: 'inspection' })).toBe(true);
    expect(matchesFilter(e, { factoryId: 'f1', topic: 'training' })).toBe(false);
    expect(matchesFilter(e, { factoryId: 'f1', id: 'i2' })).toBe(false);
  });
});
