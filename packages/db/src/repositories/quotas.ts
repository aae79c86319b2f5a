import type { Db } from '../client';
import { DbError, NotFoundError } from '../errors';
import type { Prisma } from '../generated/prisma/client';
import { peekRateLimitTokens, refundRateLimitToken, takeRateLimitToken } from './rate-limits';

/** A factory's quotas; 0 means no limit (ADR 0059). */
export interface QuotaLimits {
  maxStoredImages: number;
  maxConcurrentTrainingRuns: number;
  maxInspectionsPerMinute: number;
}

/** The operator's overrides of one factory: null keeps the deployment default. */
export type QuotaOverrides = { [K in keyof QuotaLimits]: number | null };

export type QuotaName = 'storedImages' | 'concurrentTrainingRuns' | 'inspectionsPerMinute';

const DESCRIBED: Record<QuotaName, string> = {
  storedImages: 'stored images',
  concurrentTrainingRuns: 'training runs queued or running at once',
  inspectionsPerMinute: 'inspections per minute',
};
const REMEDY: Record<QuotaName, string> = {
  storedImages: 'delete images you no longer need, or ask the platform operator for a higher quota',
  concurrentTrainingRuns: 'wait for a training to finish or cancel one, or ask the platform operator for a higher quota',
  inspectionsPerMinute: 'slow down, or ask the platform operator for a higher quota',
};

/** The write would take the factory over one of its quotas; nothing was written. */
export class QuotaExceededError extends DbError {
  declare readonly code: 'QUOTA_EXCEEDED';
  constructor(
    readonly quota: QuotaName,
    readonly limit: number,
    readonly used: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(
      'QUOTA_EXCEEDED',
      `Quota exceeded: ${DESCRIBED[quota]}: limit ${limit}, in use ${used}` +
        `${retryAfterSeconds ? `; retry in ${retryAfterSeconds} s` : ''}. To go on, ${REMEDY[quota]}.`,
    );
  }
}

/** The id of the factory with this id or slug (how an operator names one); NOT_FOUND otherwise. */
export async function findFactoryIdByIdOrSlug(db: Db, idOrSlug: string): Promise<string> {
  const factory = await db.factory.findFirst({ where: { OR: [{ id: idOrSlug }, { slug: idOrSlug }] }, select: { id: true } });
  if (!factory) throw new NotFoundError('Factory', idOrSlug);
  return factory.id;
}

/** The overrides the operator set for the factory (all null when none). */
export async function getQuotaOverrides(db: Db, factoryId: string): Promise<QuotaOverrides> {
  const row = await db.factoryQuota.findUnique({ where: { factoryId } });
  return {
    maxStoredImages: row?.maxStoredImages ?? null,
    maxConcurrentTrainingRuns: row?.maxConcurrentTrainingRuns ?? null,
    maxInspectionsPerMinute: row?.maxInspectionsPerMinute ?? null,
  };
}

/** The factory's quotas in force: its overrides, else the deployment's defaults. */
export async function effectiveQuotas(db: Db, factoryId: string, defaults: QuotaLimits): Promise<QuotaLimits> {
  const o = await getQuotaOverrides(db, factoryId);
  return {
    maxStoredImages: o.maxStoredImages ?? defaults.maxStoredImages,
    maxConcurrentTrainingRuns: o.maxConcurrentTrainingRuns ?? defaults.maxConcurrentTrainingRuns,
    maxInspectionsPerMinute: o.maxInspectionsPerMinute ?? defaults.maxInspectionsPerMinute,
  };
}

/**
 * Sets (a number, 0: no limit) or clears (null: back to the default) the factory's overrides;
 * fields not in `patch` stay. For the deployment operator only: no API operation calls it.
 */
export async function setQuotaOverrides(db: Db, factoryId: string, patch: Partial<QuotaOverrides>): Promise<QuotaOverrides> {
  if (!(await db.factory.findUnique({ where: { id: factoryId }, select: { id: true } }))) throw new NotFoundError('Factory', factoryId);
  await db.factoryQuota.upsert({ where: { factoryId }, create: { factoryId, ...patch }, update: patch });
  return getQuotaOverrides(db, factoryId);
}

/** Images the factory stores now (every product, every label). */
export function countStoredImages(db: Db | Prisma.TransactionClient, factoryId: string): Promise<number> {
  return db.image.count({ where: { factoryId } });
}

/** Model versions queued for training or training now: what the concurrency quota counts. */
export function countActiveTrainings(db: Db | Prisma.TransactionClient, factoryId: string): Promise<number> {
  return db.model.count({ where: { factoryId, status: { in: ['QUEUED', 'TRAINING'] } } });
}

/**
 * Runs `write` in a transaction that holds the factory's lock for `quota` and has checked that
 * `count` is below `limit` (0: no check, no lock). Concurrent writers of one factory queue on
 * the lock, and each counts only after the previous one committed, so none overshoots.
 */
export async function withinQuota<T>(
  db: Db,
  factoryId: string,
  quota: QuotaName,
  limit: number,
  count: (tx: Prisma.TransactionClient) => Promise<number>,
  write: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  if (limit <= 0) return write(db);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`quota:${quota}:${factoryId}`}, 0))`;
    const used = await count(tx);
    if (used >= limit) throw new QuotaExceededError(quota, limit, used);
    return write(tx);
  });
}

// Inspections per minute: a token bucket in RateLimitBucket (shared by every API process),
// holding up to `limit` and refilled by `limit` a minute.
const inspectionBucket = (factoryId: string, limit: number) => ({
  key: `quota:inspections-per-minute:${factoryId}`,
  limit: { capacity: limit, refillPerSecond: limit / 60 },
});

/** Charges one inspection to the factory's per-minute quota; QuotaExceededError when none is left. */
export async function takeInspectionQuota(db: Db, factoryId: string, limit: number): Promise<void> {
  if (limit <= 0) return;
  const bucket = inspectionBucket(factoryId, limit);
  const wait = await takeRateLimitToken(db, bucket.key, bucket.limit);
  if (wait > 0) throw new QuotaExceededError('inspectionsPerMinute', limit, limit, wait);
}

/** Gives back an inspection charged for a submission that then created nothing. */
export async function refundInspectionQuota(db: Db, factoryId: string, limit: number): Promise<void> {
  if (limit <= 0) return;
  const bucket = inspectionBucket(factoryId, limit);
  await refundRateLimitToken(db, bucket.key, bucket.limit);
}

/** Inspections charged in about the last minute: the bucket's spent tokens (0 with no limit). */
export async function inspectionsInLastMinute(db: Db, factoryId: string, limit: number): Promise<number> {
  if (limit <= 0) return 0;
  const bucket = inspectionBucket(factoryId, limit);
  const available = await peekRateLimitTokens(db, bucket.key, bucket.limit);
  return Math.max(0, Math.min(limit, Math.round(limit - available)));
}
