import { describe, expect, it } from 'vitest';
import { assertListPrefix, blobKey, factoryPrefix, parseBlobKey } from './blob-key';
import { BadKeyError, isStorageError } from './errors';

function badKey(fn: () => unknown): BadKeyError {
  try {
    fn();
  } catch (err) {
    expect(isStorageError(err, 'BAD_KEY')).toBe(true);
    return err as BadKeyError;
  }
  throw new Error('expected BAD_KEY');
}

describe('blobKey', () => {
  it('builds a factory-scoped key, splitting parts on "/"', () => {
    expect(blobKey('fac_1', 'images', 'a-1.png')).toBe('factories/fac_1/images/a-1.png');
    expect(blobKey('fac_1', 'models/v3/generator.bin')).toBe('factories/fac_1/models/v3/generator.bin');
    expect(parseBlobKey('factories/fac_1/models/v3/g.bin')).toEqual({ factoryId: 'fac_1', parts: ['models', 'v3', 'g.bin'] });
  });

  it('rejects traversal, empty parts, leading slashes and unsafe characters', () => {
    for (const parts of [
      ['..', 'other'],
      ['images/../../etc/passwd'],
      ['.'],
      ['/abs'],
      ['a//b'],
      ['trailing/'],
      [''],
      ['.hidden'],
      ['-rf'],
      ['sp ace.png'],
      ['back\\slash'],
      ['nul\0'],
      ['ünïcode.png'],
      ['a%2F..'],
    ]) {
      badKey(() => blobKey('f1', ...parts));
    }
    badKey(() => blobKey('f1'));
    badKey(() => blobKey('..', 'x'));
    badKey(() => blobKey('', 'x'));
    badKey(() => blobKey('a/b', 'x'));
  });

  it('names the offending part in the message', () => {
    expect(badKey(() => blobKey('f1', 'ok', '..')).message).toMatch(/"\.\."/);
    expect(badKey(() => blobKey('f1', 'a b')).message).toMatch(/"a b"/);
  });

  it('rejects keys outside factories/<id>/ and over-long keys', () => {
    for (const key of ['images/a.png', 'factories/f1', 'factories//a', '/factories/f1/a', 'Factories/f1/a', 'factories/f1/']) {
      badKey(() => parseBlobKey(key));
    }
    const long = Array.from({ length: 6 }, () => 'p'.repeat(180)).join('/');
    expect(badKey(() => parseBlobKey(`factories/f1/${long}`)).message).toMatch(/1024 bytes/);
  });
});

describe('list prefixes', () => {
  it('accept a whole factory or a partial last segment', () => {
    expect(factoryPrefix('f1')).toBe('factories/f1/');
    expect(assertListPrefix('factories/f1/').factoryId).toBe('f1');
    expect(assertListPrefix('factories/f1/images/ab').parts).toEqual(['images', 'ab']);
  });

  it('refuse prefixes that could match another factory or escape', () => {
    // "factories/f1" would also match "factories/f10/...": the factory must end with "/".
    for (const prefix of ['factories/f1', 'factories/', 'factories', '', 'factories/f1/../f2/', 'factories/f1/a/..', 'x/f1/']) {
      badKey(() => assertListPrefix(prefix));
    }
    badKey(() => factoryPrefix('../f2'));
  });
});
