import type { Db } from '../client';
import type { Model, ModelStatus } from '../generated/prisma/client';
import { BadInputError, NotFoundError } from '../errors';
import { requireProduct } from './products';
import { countActiveTrainings, withinQuota } from './quotas';
import { isUniqueViolation, translateWriteError, type JsonInput } from './prisma-errors';
import { afterCursor, newestFirst, pageLimit, toPage, type Page, type PageRequest } from './pagination';

/**
 * Creates the product's next model version (1, 2, ...), QUEUED for training. Concurrent
 * callers each get their own version. With `maxConcurrentTrainingRuns` (> 0), a version that
 * would make more of the factory's models queued or training at once is refused with
 * QuotaExceededError (counted and inserted under the factory's quota lock).
 */
export async function createModel(
  db: Db,
  factoryId: string,
  input: { productId: string; hyperParameters?: JsonInput; backend?: string; createdById?: string },
  quota: { maxConcurrentTrainingRuns?: number } = {},
): Promise<Model> {
  await requireProduct(db, factoryId, input.productId);
  for (let attempt = 0; ; attempt++) {
    try {
      return await withinQuota(
        db,
        factoryId,
        'concurrentTrainingRuns',
        quota.maxConcurrentTrainingRuns ?? 0,
        (tx) => countActiveTrainings(tx, factoryId),
        async (tx) => {
          const last = await tx.model.findFirst({
            where: { factoryId, productId: input.productId },
            orderBy: { version: 'desc' },
            select: { version: true },
          });
          return tx.model.create({
            data: {
              factoryId,
              productId: input.productId,
              version: (last?.version ?? 0) + 1,
              hyperParameters: input.hyperParameters ?? {},
              backend: input.backend ?? null,
              createdById: input.createdById ?? null,
            },
          });
        },
      );
    } catch (err) {
      // Someone took this version number between our read and our insert: read again.
      if (isUniqueViolation(err) && attempt < 5) continue;
      translateWriteError(err, { entity: 'Model', reference: { entity: 'Product', id: input.productId } });
    }
  }
}

export async function getModel(db: Db, factoryId: string, modelId: string): Promise<Model> {
  const model = await db.model.findFirst({ where: { id: modelId, factoryId } });
  if (!model) throw new NotFoundError('Model', modelId);
  return model;
}

export async function listModels(
  db: Db,
  factoryId: string,
  filter: { productId?: string; status?: ModelStatus } = {},
): Promise<Model[]> {
  return db.model.findMany({
    where: { factoryId, productId: filter.productId, status: filter.status },
    orderBy: [{ createdAt: 'desc' }, { version: 'desc' }],
  });
}

/** One product's model versions, newest first, `limit` at a time; NOT_FOUND unless the product is this factory's. */
export async function listModelsPage(db: Db, factoryId: string, productId: string, page: PageRequest = {}): Promise<Page<Model>> {
  await requireProduct(db, factoryId, productId);
  const limit = pageLimit(page);
  const rows = await db.model.findMany({
    where: { AND: [{ factoryId, productId }, afterCursor(page.cursor)] },
    orderBy: newestFirst,
    take: limit + 1,
  });
  return toPage(rows, limit);
}

/** The product's active model, or null when none has been activated yet. */
export async function getActiveModel(db: Db, factoryId: string, productId: string): Promise<Model | null> {
  const product = await db.product.findFirst({ where: { id: productId, factoryId }, select: { activeModel: true } });
  if (!product) throw new NotFoundError('Product', productId);
  return product.activeModel;
}

export interface ModelPatch {
  status?: ModelStatus;
  backend?: string;
  generatorKey?: string;
  discriminatorKey?: string;
  encoderKey?: string | null;
  referenceKey?: string;
  referenceStats?: JsonInput;
  threshold?: number;
  scoreNormalisation?: JsonInput;
  metrics?: JsonInput;
  error?: string | null;
  trainedAt?: Date;
}

/** Records training results or status changes (the worker's write path). */
export async function updateModel(db: Db, factoryId: string, modelId: string, patch: ModelPatch): Promise<Model> {
  try {
    return await db.model.update({ where: { id: modelId, factoryId }, data: patch });
  } catch (err) {
    translateWriteError(err, { entity: 'Model', id: modelId });
  }
}

/**
 * Makes a READY model the one its product inspects with; the previously active model of
 * that product is deactivated in the same transaction.
 */
export async function activateModel(db: Db, factoryId: string, modelId: string): Promise<Model> {
  return db.$transaction(async (tx) => {
    const model = await tx.model.findFirst({ where: { id: modelId, factoryId } });
    if (!model) throw new NotFoundError('Model', modelId);
    if (model.status !== 'READY') {
      throw new BadInputError(`Model v${model.version} is ${model.status}; only a READY model can be activated`);
    }
    await tx.model.updateMany({
      where: { factoryId, productId: model.productId, isActive: true, NOT: { id: modelId } },
      data: { isActive: false },
    });
    await tx.product.update({ where: { id: model.productId, factoryId }, data: { activeModelId: model.id } });
    return tx.model.update({ where: { id: modelId, factoryId }, data: { isActive: true } });
  });
}

/**
 * Removes a model version that never started (QUEUED, nothing trained, no inspection or lot
 * refers to it), with its training runs: for undoing a startTraining whose job could not be
 * queued. Returns whether it was removed; a model that moved on is left alone.
 */
export async function discardQueuedModel(db: Db, factoryId: string, modelId: string): Promise<boolean> {
  const { count } = await db.model.deleteMany({
    where: { id: modelId, factoryId, status: 'QUEUED', trainedAt: null, inspections: { none: {} }, lots: { none: {} }, activeFor: { is: null } },
  });
  return count === 1;
}
