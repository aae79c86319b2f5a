import { BadKeyError } from './errors';

// One conservative alphabet for every driver: safe in S3 keys, URLs and file names on any OS.
// A part may not start with a dot or dash, which rules out `.`, `..`, hidden files and
// option-like names in one rule.
const PART = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,199}$/;
const MAX_KEY_BYTES = 1024; // S3's limit; the fs driver keeps it too so both accept the same keys.
const ROOT = 'factories';

/** A key split into its owning factory and the path below it. */
export interface ParsedBlobKey {
  factoryId: string;
  parts: string[];
}

/** Builds `factories/<factoryId>/<parts...>`; throws BAD_KEY unless every segment is safe. */
export function blobKey(factoryId: string, ...parts: string[]): string {
  // Checked on its own first: "a/b" would otherwise pass as factory "a" with a part "b".
  checkPart(`${ROOT}/${factoryId}/`, factoryId, 'factory id');
  const segments = parts.flatMap((p) => p.split('/'));
  const key = [ROOT, factoryId, ...segments].join('/');
  if (segments.length === 0) throw new BadKeyError(key, 'a key needs at least one part after the factory id');
  return assertBlobKey(key);
}

/** The `factories/<factoryId>/` prefix that lists everything one factory owns. */
export function factoryPrefix(factoryId: string): string {
  checkPart(`${ROOT}/${factoryId}/`, factoryId, 'factory id');
  return `${ROOT}/${factoryId}/`;
}

/** Returns the key unchanged if it is a valid factory-scoped key, else throws BAD_KEY. */
export function assertBlobKey(key: string): string {
  parseBlobKey(key);
  return key;
}

/** Splits a valid key into factory id and parts; throws BAD_KEY for anything else. */
export function parseBlobKey(key: string): ParsedBlobKey {
  if (typeof key !== 'string' || key.length === 0) throw new BadKeyError(String(key), 'the key is empty');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new BadKeyError(key, `longer than ${MAX_KEY_BYTES} bytes`);
  const [root, factoryId, ...parts] = key.split('/');
  if (root !== ROOT || factoryId === undefined) {
    throw new BadKeyError(key, `keys must start with "${ROOT}/<factoryId>/"`);
  }
  checkPart(key, factoryId, 'factory id');
  if (parts.length === 0) throw new BadKeyError(key, 'a key needs at least one part after the factory id');
  for (const part of parts) checkPart(key, part, 'part');
  return { factoryId, parts };
}

/**
 * Checks a list prefix: it must name one factory completely (`factories/<id>/...`), so that
 * `factories/f1` can never match `factories/f10/...`. The last segment may be partial.
 */
export function assertListPrefix(prefix: string): ParsedBlobKey {
  if (typeof prefix !== 'string') throw new BadKeyError(String(prefix), 'the prefix is not a string');
  if (Buffer.byteLength(prefix) > MAX_KEY_BYTES) throw new BadKeyError(prefix, `longer than ${MAX_KEY_BYTES} bytes`);
  const [root, factoryId, ...rest] = prefix.split('/');
  if (root !== ROOT || factoryId === undefined || rest.length === 0) {
    throw new BadKeyError(prefix, `list prefixes must start with "${ROOT}/<factoryId>/"`);
  }
  checkPart(prefix, factoryId, 'factory id');
  const last = rest.pop() ?? '';
  for (const part of rest) checkPart(prefix, part, 'part');
  if (last === '.' || last === '..') throw new BadKeyError(prefix, `"${last}" is not allowed`);
  if (last !== '' && !/^[A-Za-z0-9._-]{1,200}$/.test(last)) {
    throw new BadKeyError(prefix, `"${last}" contains characters no key can hold`);
  }
  return { factoryId, parts: [...rest, last] };
}

function checkPart(key: string, part: string, what: string): void {
  if (part === '') throw new BadKeyError(key, `empty ${what} (leading, trailing or doubled "/")`);
  if (part === '.' || part === '..') throw new BadKeyError(key, `"${part}" is not allowed`);
  if (!PART.test(part)) {
    throw new BadKeyError(
      key,
      `${what} "${part}" must be 1-200 characters of A-Z, a-z, 0-9, ".", "_" or "-" and not start with "." or "-"`,
    );
  }
}
