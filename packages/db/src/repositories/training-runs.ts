import type { Db } from '../client';
import type { RunStatus, TrainingRun } from '../generated/prisma/client';
import { NotFoundError } from '../errors';
import { pageIdsPerModel, pagesByModel } from './child-pages';
import { newestFirst, type Page, type PageRequest } from './pagination';
import { translateWriteError, type JsonInput } from './prisma-errors';

export async function createTrainingRun(
  db: Db,
  factoryId: string,
  input: { modelId: string; totalSteps: number; backends?: readonly string[] },
): Promise<TrainingRun> {
  try {
    return await db.trainingRun.create({
      data: { factoryId, modelId: input.modelId, totalSteps: input.totalSteps, backends: [...(input.backends ?? [])] },
    });
  } catch (err) {
    translateWriteError(err, { entity: 'TrainingRun', reference: { entity: 'Model', id: input.modelId } });
  }
}

export async function getTrainingRun(db: Db, factoryId: string, runId: string): Promise<TrainingRun> {
  const run = await db.trainingRun.findFirst({ where: { id: runId, factoryId } });
  if (!run) throw new NotFoundError('TrainingRun', runId);
  return run;
}

export async function listTrainingRuns(db: Db, factoryId: string, modelId: string): Promise<TrainingRun[]> {
  return db.trainingRun.findMany({ where: { factoryId, modelId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
}

/** One page of training runs (newest first) for each of the models, in two statements whatever their number. */
export async function listTrainingRunPages(
  db: Db,
  factoryId: string,
  modelIds: readonly string[],
  page: PageRequest = {},
): Promise<Map<string, Page<TrainingRun>>> {
  const { limit, ids } = await pageIdsPerModel(db, factoryId, 'trainingRun', modelIds, page);
  const rows = ids.length > 0 ? await db.trainingRun.findMany({ where: { factoryId, id: { in: ids } }, orderBy: newestFirst }) : [];
  return pagesByModel(modelIds, rows, limit);
}

export interface TrainingProgress {
  status?: RunStatus;
  step?: number;
  losses?: JsonInput;
  lastCheckpointKey?: string;
  checkpointStep?: number;
  workerId?: string | null;
  error?: string | null;
  startedAt?: Date;
  finishedAt?: Date;
}

export async function updateTrainingRun(db: Db, factoryId: string, runId: string, patch: TrainingProgress): Promise<TrainingRun> {
  try {
    return await db.trainingRun.update({ where: { id: runId, factoryId }, data: patch });
  } catch (err) {
    translateWriteError(err, { entity: 'TrainingRun', id: runId });
  }
}
