import { describe, expect, it } from 'vitest';
import { definedOnly } from './defined-only';

describe('definedOnly', () => {
  it('keeps the named values a client gave, dropping null and absent ones', () => {
    const args = { productId: 'p1', status: null, line: '', after: undefined, first: 0 };
    expect(definedOnly(args)).toEqual({ productId: 'p1', line: '', first: 0 });
    expect(definedOnly(args, ['productId', 'status'])).toEqual({ productId: 'p1' });
  });
});
