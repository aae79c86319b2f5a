import { describe, expect, it } from 'vitest';
import { CodedError, codedErrorGuard } from './coded-error';

class PartError extends CodedError<'BAD_PART' | 'NO_PART'> {
  override name = 'PartError';
}
const isPartError = codedErrorGuard(PartError);

describe('CodedError', () => {
  it('keeps its code, message, cause and subclass name, and its guard tells code from code', () => {
    const cause = new Error('root');
    const err = new PartError('BAD_PART', 'The part is bent.', { cause });
    expect([err.code, err.message, err.cause, err.name]).toEqual(['BAD_PART', 'The part is bent.', cause, 'PartError']);
    expect(String(err)).toBe('PartError: The part is bent.');
    expect(isPartError(err)).toBe(true);
    expect(isPartError(err, 'BAD_PART')).toBe(true);
    expect(isPartError(err, 'NO_PART')).toBe(false);
    expect(isPartError(new Error('other'))).toBe(false);
  });
});
