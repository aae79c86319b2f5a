// Latent interpolation strips of a model (ADR 0061): requested by the API, drawn by a worker.
import type { Db } from '../client';
import type { LatentInterpolation, RunStatus } from '../generated/prisma/client';
import { NotFoundError } from '../errors';
import { translateWriteError, type JsonInput } from './prisma-errors';

export async function createLatentInterpolation(
  db: Db, factoryId: string, input: { modelId: string; fromImageId: string; toImageId: string; steps: number },
): Promise<LatentInterpolation> {
  try {
    return await db.latentInterpolation.create({ data: { factoryId, ...input } });
  } catch (err) {
    translateWriteError(err, { entity: 'LatentInterpolation', reference: { entity: 'Model', id: input.modelId } });
  }
}

/** Removes an interpolation that never started (QUEUED): for undoing a request whose job could not be queued. */
export async function discardQueuedLatentInterpolation(db: Db, factoryId: string, id: string): Promise<boolean> {
  const { count } = await db.latentInterpolation.deleteMany({ where: { id, factoryId, status: 'QUEUED' } });
  return count === 1;
}

export async function getLatentInterpolation(db: Db, factoryId: string, id: string): Promise<LatentInterpolation> {
  const found = await db.latentInterpolation.findFirst({ where: { id, factoryId } });
  if (!found) throw new NotFoundError('LatentInterpolation', id);
  return found;
}

/** A model's interpolations, newest first, at most `limit`. */
export async function listLatentInterpolations(
  db: Db, factoryId: string, modelId: string, o: { limit: number; status?: RunStatus[] },
): Promise<LatentInterpolation[]> {
  return db.latentInterpolation.findMany({
    where: { factoryId, modelId, ...(o.status ? { status: { in: o.status } } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: o.limit,
  });
}

/** The newest interpolation of the same images and steps that did not fail, or null. */
export async function findLatentInterpolation(
  db: Db, factoryId: string, input: { modelId: string; fromImageId: string; toImageId: string; steps: number },
): Promise<LatentInterpolation | null> {
  return db.latentInterpolation.findFirst({
    where: { factoryId, ...input, status: { in: ['QUEUED', 'RUNNING', 'SUCCEEDED'] } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
}

export async function recordLatentInterpolationResult(
  db: Db, factoryId: string, id: string,
  result: { status: RunStatus; stripKey?: string | null; details?: JsonInput; error?: string | null; completedAt?: Date },
): Promise<LatentInterpolation> {
  try {
    return await db.latentInterpolation.update({ where: { id, factoryId }, data: result });
  } catch (err) {
    translateWriteError(err, { entity: 'LatentInterpolation', id });
  }
}
