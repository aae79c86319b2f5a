import type { IncomingHttpHeaders } from 'node:http';
import {
  findActiveSession,
  findApiKeyByPrefix,
  getFactory,
  getUser,
  listMembershipsForUser,
  touchApiKey,
  touchSession,
  type Db,
} from '@gansight/db';
import { apiError } from './api-errors';
import { ApiKeyCache } from './api-key-cache';
import type { Caller } from './caller';
import { apiKeySecretMatches, parseApiKey, isKnownScope } from '@gansight/contracts';
import { hashSessionToken, isSessionToken } from './session-tokens';

/** Reads the credential a request presents explicitly: `Authorization: Bearer <token>` or `x-api-key` (cookies: session-cookie.ts). */
export function presentedToken(headers: IncomingHttpHeaders | Record<string, unknown>): string | null {
  const auth = headers['authorization'];
  if (typeof auth === 'string' && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim();
  const key = headers['x-api-key'];
  return typeof key === 'string' && key.trim() ? key.trim() : null;
}

/** The factory a request asks to act for (`x-factory-id`); only a request until verified. */
export function requestedFactoryId(headers: IncomingHttpHeaders | Record<string, unknown>): string | null {
  const id = headers['x-factory-id'];
  return typeof id === 'string' && id.trim() ? id.trim() : null;
}

// One message for every way a factory can be refused, so ids of other factories cannot be probed.
const notYourFactory = (id: string) =>
  apiError('FORBIDDEN', `You cannot act for factory ${id}: it is not one of yours. See myFactories for the ones you can pick.`);

/**
 * Turns presented credentials into a verified Caller, or throws UNAUTHENTICATED (bad
 * credentials) / FORBIDDEN (a factory the caller does not belong to). No credentials is not an
 * error here (public operations such as `health` and `login` exist); the permission table
 * decides what an anonymous caller may do. Every credential failure says the same thing.
 */
export async function authenticateToken(
  db: Db,
  token: string | null,
  factoryId: string | null = null,
  cache: ApiKeyCache = new ApiKeyCache({ ttlMs: 0 }),
  log: (message: string) => void = () => undefined,
): Promise<Caller> {
  if (!token) return { kind: 'anonymous' };
  if (isSessionToken(token)) return authenticateSession(db, token, factoryId, log);
  const parsed = parseApiKey(token);
  const invalid = () => apiError('UNAUTHENTICATED', 'The API key is invalid, expired or revoked. Ask a factory admin for a new key.');
  if (!parsed) throw invalid();
  let key = cache.get(parsed.prefix);
  let storedLastUsedAt: Date | null | undefined;
  if (!key) {
    const loaded = await cache.load(parsed.prefix, async () => {
      const row = await findApiKeyByPrefix(db, parsed.prefix);
      if (!row || row.revokedAt) return null;
      await getFactory(db, row.factoryId); // a deleted factory's keys die with it
      return {
        key: { id: row.id, factoryId: row.factoryId, name: row.name, scopes: row.scopes, secretHash: row.secretHash, expiresAt: row.expiresAt },
        lastUsedAt: row.lastUsedAt,
      };
    });
    if (!loaded) throw invalid();
    key = loaded.key;
    storedLastUsedAt = loaded.lastUsedAt;
  }
  // The prefix is not secret: every request proves the secret, cached key or not.
  if (!apiKeySecretMatches(parsed.secret, key.secretHash)) throw invalid();
  if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) throw invalid();
  if (factoryId !== null && factoryId !== key.factoryId) throw notYourFactory(factoryId);
  // Last-used time is informative: a minute's precision spares a write per request on a busy key,
  // and a failed write must not fail the request.
  if (cache.shouldTouch(key.id, storedLastUsedAt)) {
    const { id, factoryId: keyFactoryId } = key;
    touchApiKey(db, keyFactoryId, id).catch((err: Error) => log(`api key ${id}: last-used time not written: ${err.message}`));
  }
  return {
    kind: 'apiKey',
    factoryId: key.factoryId,
    apiKeyId: key.id,
    apiKeyName: key.name,
    scopes: key.scopes.filter(isKnownScope),
  };
}

async function authenticateSession(db: Db, token: string, factoryId: string | null, log: (message: string) => void): Promise<Caller> {
  const session = await findActiveSession(db, hashSessionToken(token));
  if (!session) throw apiError('UNAUTHENTICATED', 'Your session has expired or you signed out. Sign in again.');
  const user = await getUser(db, session.userId);
  touchSession(db, session.id).catch((err: Error) => log(`session ${session.id}: last-seen time not written: ${err.message}`));
  const memberships = await listMembershipsForUser(db, user.id);
  const base = { userId: user.id, email: user.email, sessionId: session.id };
  // Without a header, a user of exactly one factory needs no choice; with several we refuse to
  // guess, since acting in the wrong factory is worse than asking.
  const chosen = factoryId === null ? (memberships.length === 1 ? memberships[0] : undefined) : memberships.find((m) => m.factoryId === factoryId);
  if (factoryId !== null && !chosen) throw notYourFactory(factoryId);
  if (!chosen) return { kind: 'account', ...base };
  return { kind: 'user', ...base, factoryId: chosen.factoryId, role: chosen.role };
}
