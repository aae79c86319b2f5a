import { createHash } from 'node:crypto';

const MAX_SLUG = 60;
const SUFFIX = 6;

// Latin letters that Unicode decomposition leaves as they are; everything else with a base
// letter (é, ö, ñ, ...) loses its marks through NFKD.
const LATIN: Record<string, string> = {
  ß: 'ss', ẞ: 'ss', æ: 'ae', Æ: 'ae', ø: 'o', Ø: 'o', œ: 'oe', Œ: 'oe', đ: 'd', Đ: 'd', ð: 'd', Ð: 'd',
  ł: 'l', Ł: 'l', þ: 'th', Þ: 'th', ı: 'i', ħ: 'h', Ħ: 'h', ŋ: 'ng', Ŋ: 'ng',
};

/** A short stable hash of the name: two different names get different suffixes. */
function nameSuffix(name: string): string {
  return createHash('sha256').update(name.trim().normalize('NFC')).digest('hex').slice(0, SUFFIX);
}

function asciiPart(name: string): { ascii: string; dropped: boolean } {
  const folded = Array.from(name.normalize('NFKD'), (c) => LATIN[c] ?? c)
    .join('')
    .replace(/[\u0300-\u036f]/g, '');
  const ascii = folded
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  // Letters or digits without an ASCII spelling (Chinese, Cyrillic, Arabic, ...) were dropped.
  // oxlint-disable-next-line no-control-regex -- the range is ASCII itself, control characters included
  const dropped = /[\p{L}\p{N}]/u.test(folded.replace(/[\x00-\x7f]/g, ''));
  return { ascii, dropped };
}

/**
 * Slugs derived from a name, best first: `Acme Solar GmbH` -> `acme-solar-gmbh`, `Ödland` ->
 * `odland`. A name with letters that have no ASCII spelling, or none at all, gets a short hash
 * of itself (`瓷砖 A` -> `a-3f9c2e`, `陶瓷` -> `product-8d01b7`), so such names never share a slug.
 * The second candidate (the readable slug plus the hash) is for when the first is taken by a
 * different name: it differs for every name, so only the same name twice collides.
 */
export function slugCandidates(name: string, fallback: string): string[] {
  const { ascii, dropped } = asciiPart(name);
  const suffix = nameSuffix(name);
  const withSuffix = `${(ascii || fallback).slice(0, MAX_SLUG - SUFFIX - 1).replace(/-+$/, '')}-${suffix}`;
  if (!ascii || dropped) return [withSuffix];
  return [ascii.slice(0, MAX_SLUG).replace(/-+$/, ''), withSuffix];
}

/** The preferred slug of a name (see slugCandidates). */
export function slugify(name: string, fallback = 'factory'): string {
  return slugCandidates(name, fallback)[0]!;
}
