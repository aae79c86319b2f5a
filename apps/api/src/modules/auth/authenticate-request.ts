import type { IncomingHttpHeaders } from 'node:http';
import { findApiKeyByPrefix, getFactory, touchApiKey, type Db } from '@gansight/db';
import { apiError } from './api-errors';
import type { Caller } from './caller';
import { apiKeySecretMatches, parseApiKey } from './credentials';
import { isKnownScope } from './scopes';

/** Reads the credential a request presents: `Authorization: Bearer <key>` or `x-api-key`. */
export function presentedToken(headers: IncomingHttpHeaders | Record<string, unknown>): string | null {
  const auth = headers['authorization'];
  if (typeof auth === 'string' && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim();
  const key = headers['x-api-key'];
  return typeof key === 'string' && key.trim() ? key.trim() : null;
}

/**
 * Turns presented credentials into a verified Caller, or throws UNAUTHENTICATED. No
 * credentials is not an error here (public queries such as `health` exist); resolvers that need
 * a caller ask for one. Every failure says the same thing, so keys cannot be probed.
 */
export async function authenticateToken(db: Db, token: string | null): Promise<Caller> {
  if (!token) return { kind: 'anonymous' };
  const parsed = parseApiKey(token);
  const invalid = () => apiError('UNAUTHENTICATED', 'The API key is invalid, expired or revoked. Ask a factory admin for a new key.');
  if (!parsed) throw invalid();
  const key = await findApiKeyByPrefix(db, parsed.prefix);
  if (!key || !apiKeySecretMatches(parsed.secret, key.secretHash)) throw invalid();
  if (key.revokedAt || (key.expiresAt && key.expiresAt.getTime() <= Date.now())) throw invalid();
  await getFactory(db, key.factoryId); // a deleted factory's keys die with it
  // Last-used time is informative; a failed write must not fail the request.
  touchApiKey(db, key.factoryId, key.id).catch(() => undefined);
  return {
    kind: 'apiKey',
    factoryId: key.factoryId,
    apiKeyId: key.id,
    apiKeyName: key.name,
    scopes: key.scopes.filter(isKnownScope),
  };
}
