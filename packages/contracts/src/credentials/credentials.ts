import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

// Argon2id is the library default (Algorithm.Argon2id = 2); it is a const enum, which
// isolatedModules cannot import, so the value is spelled out.
const ARGON2ID = 2;

/** Hashes a user's password with argon2id (OWASP parameters: 19 MiB, 2 passes). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

/** True when `password` matches the stored argon2 hash; false (never throws) on a malformed hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

const KEY_PATTERN = /^gsk_([0-9a-f]{12})_([0-9a-f]{48})$/;

/** A new API key: `token` is shown once to the caller; only `prefix` and `secretHash` are stored. */
export function generateApiKey(): { token: string; prefix: string; secretHash: string } {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(24).toString('hex');
  return { token: `gsk_${prefix}_${secret}`, prefix, secretHash: hashApiKeySecret(secret) };
}

/**
 * Splits a presented token into its lookup prefix and secret, or null if it is not shaped
 * like one of ours. Secrets carry 192 random bits, so a fast hash is enough to store them
 * (unlike passwords, they cannot be guessed from a dictionary).
 */
export function parseApiKey(token: string): { prefix: string; secret: string } | null {
  const m = KEY_PATTERN.exec(token.trim());
  return m ? { prefix: m[1]!, secret: m[2]! } : null;
}

/** The stored form of an API key secret. */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time comparison of a presented secret with its stored hash. */
export function apiKeySecretMatches(secret: string, storedHash: string): boolean {
  // The raw digest, not its hex: one encode and decode fewer on every authenticated request.
  const a = createHash('sha256').update(secret).digest();
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
