import { describe, expect, it } from 'vitest';
import { apiKeySecretMatches, generateApiKey, hashPassword, parseApiKey, verifyPassword } from './credentials';

describe('credentials', () => {
  it('hashes passwords with argon2id and verifies only the right one', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(stored, 'Correct horse battery staple')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });

  it('issues API keys whose secret is never stored and round-trips through parsing', () => {
    const key = generateApiKey();
    expect(key.token).not.toContain(key.secretHash);
    const parsed = parseApiKey(key.token)!;
    expect(parsed.prefix).toBe(key.prefix);
    expect(apiKeySecretMatches(parsed.secret, key.secretHash)).toBe(true);
    expect(apiKeySecretMatches(parsed.secret.replace(/.$/, (c) => (c === '0' ? '1' : '0')), key.secretHash)).toBe(false);
    expect(generateApiKey().prefix).not.toBe(key.prefix);
  });

  it('refuses tokens that are not shaped like ours', () => {
    expect(parseApiKey('Bearer abc')).toBeNull();
    expect(parseApiKey('gsk_123_456')).toBeNull();
  });
});
