import type { Db } from '../client';
import type { ApiKey } from '../generated/prisma/client';
import { NotFoundError } from '../errors';
import { translateWriteError } from './prisma-errors';

/** An API key without its secret hash, safe to show in listings. */
export type ApiKeySummary = Omit<ApiKey, 'secretHash'>;

const summary = {
  id: true,
  factoryId: true,
  name: true,
  prefix: true,
  scopes: true,
  lastUsedAt: true,
  revokedAt: true,
  expiresAt: true,
  createdById: true,
  createdAt: true,
} as const;

export async function createApiKey(
  db: Db,
  factoryId: string,
  input: { name: string; prefix: string; secretHash: string; scopes: string[]; expiresAt?: Date; createdById?: string },
): Promise<ApiKeySummary> {
  try {
    return await db.apiKey.create({
      data: { factoryId, ...input, expiresAt: input.expiresAt ?? null, createdById: input.createdById ?? null },
      select: summary,
    });
  } catch (err) {
    translateWriteError(err, {
      entity: 'ApiKey',
      conflict: `An API key with prefix ${input.prefix} already exists`,
      reference: { entity: 'Factory', id: factoryId },
    });
  }
}

/**
 * Global lookup for authentication: the key's factory is learnt from here. Returns revoked
 * and expired keys too; the caller decides (and can tell the user why).
 */
export async function findApiKeyByPrefix(db: Db, prefix: string): Promise<ApiKey | null> {
  return db.apiKey.findUnique({ where: { prefix } });
}

export async function listApiKeys(db: Db, factoryId: string): Promise<ApiKeySummary[]> {
  return db.apiKey.findMany({ where: { factoryId }, select: summary, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
}

export async function getApiKey(db: Db, factoryId: string, apiKeyId: string): Promise<ApiKeySummary> {
  const key = await db.apiKey.findFirst({ where: { id: apiKeyId, factoryId }, select: summary });
  if (!key) throw new NotFoundError('ApiKey', apiKeyId);
  return key;
}

/** Revokes the key (idempotent: revoking twice keeps the first time). */
export async function revokeApiKey(db: Db, factoryId: string, apiKeyId: string): Promise<ApiKeySummary> {
  await db.apiKey.updateMany({ where: { id: apiKeyId, factoryId, revokedAt: null }, data: { revokedAt: new Date() } });
  return getApiKey(db, factoryId, apiKeyId);
}

/** Records a use of the key. */
export async function touchApiKey(db: Db, factoryId: string, apiKeyId: string, at: Date = new Date()): Promise<void> {
  const { count } = await db.apiKey.updateMany({ where: { id: apiKeyId, factoryId }, data: { lastUsedAt: at } });
  if (count === 0) throw new NotFoundError('ApiKey', apiKeyId);
}
