import { describe, expect, it } from 'vitest';
import { slugCandidates, slugify } from './slugs';

describe('slugs derived from names', () => {
  it('keeps readable slugs for Latin names, diacritics and all', () => {
    expect(slugify('Acme Solar GmbH')).toBe('acme-solar-gmbh');
    expect(slugify('Großhandel Ærø Łódź')).toBe('grosshandel-aero-lodz');
  });

  it('gives names without an ASCII spelling distinct slugs instead of one shared fallback', () => {
    const names = ['瓷砖工厂', '陶瓷工厂', 'Завод плитки', 'Керамический завод', 'مصنع', '***', '???'];
    const slugs = names.map((n) => slugify(n, 'factory'));
    expect(new Set(slugs).size).toBe(names.length);
    for (const s of slugs) expect(s).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$/);
    // The ASCII part is kept beside the hash.
    expect(slugify('瓷砖 Line 2', 'product')).toMatch(/^line-2-[0-9a-f]{6}$/);
    expect(slugify('瓷砖', 'product')).toMatch(/^product-[0-9a-f]{6}$/);
  });

  it('offers a second candidate that differs for names sharing the readable slug', () => {
    const [cafe, cafeAlt] = slugCandidates('Café', 'product');
    const [plain, plainAlt] = slugCandidates('Cafe', 'product');
    expect(cafe).toBe(plain);
    expect(cafeAlt).not.toBe(plainAlt);
    expect(slugCandidates('Cafe', 'product')).toEqual(slugCandidates(' Cafe ', 'product'));
    const long = slugCandidates('x'.repeat(100), 'product');
    for (const s of long) expect(s.length).toBeLessThanOrEqual(60);
  });
});
