import type { Db } from '../client';
import type { Evaluation, RunStatus } from '../generated/prisma/client';
import { NotFoundError } from '../errors';
import { pageIdsPerModel, pagesByModel } from './child-pages';
import { newestFirst, type Page, type PageRequest } from './pagination';
import { translateWriteError, type JsonInput } from './prisma-errors';

export async function createEvaluation(db: Db, factoryId: string, input: { modelId: string }): Promise<Evaluation> {
  try {
    return await db.evaluation.create({ data: { factoryId, modelId: input.modelId } });
  } catch (err) {
    translateWriteError(err, { entity: 'Evaluation', reference: { entity: 'Model', id: input.modelId } });
  }
}

/** Removes an evaluation that never started (QUEUED): for undoing a startEvaluation whose job could not be queued. */
export async function discardQueuedEvaluation(db: Db, factoryId: string, evaluationId: string): Promise<boolean> {
  const { count } = await db.evaluation.deleteMany({ where: { id: evaluationId, factoryId, status: 'QUEUED' } });
  return count === 1;
}

export async function getEvaluation(db: Db, factoryId: string, evaluationId: string): Promise<Evaluation> {
  const found = await db.evaluation.findFirst({ where: { id: evaluationId, factoryId } });
  if (!found) throw new NotFoundError('Evaluation', evaluationId);
  return found;
}

export async function listEvaluations(db: Db, factoryId: string, filter: { modelId?: string } = {}): Promise<Evaluation[]> {
  return db.evaluation.findMany({
    where: { factoryId, modelId: filter.modelId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
}

/** One page of evaluations (newest first) for each of the models, in two statements whatever their number. */
export async function listEvaluationPages(
  db: Db,
  factoryId: string,
  modelIds: readonly string[],
  page: PageRequest = {},
): Promise<Map<string, Page<Evaluation>>> {
  const { limit, ids } = await pageIdsPerModel(db, factoryId, 'evaluation', modelIds, page);
  const rows = ids.length > 0 ? await db.evaluation.findMany({ where: { factoryId, id: { in: ids } }, orderBy: newestFirst }) : [];
  return pagesByModel(modelIds, rows, limit);
}

export async function recordEvaluationResult(
  db: Db,
  factoryId: string,
  evaluationId: string,
  result: {
    status: RunStatus;
    metrics?: JsonInput;
    baselines?: JsonInput;
    perDefect?: JsonInput;
    scores?: JsonInput;
    error?: string | null;
    completedAt?: Date;
  },
): Promise<Evaluation> {
  try {
    return await db.evaluation.update({ where: { id: evaluationId, factoryId }, data: result });
  } catch (err) {
    translateWriteError(err, { entity: 'Evaluation', id: evaluationId });
  }
}
