import type { Db } from '../client';
import type { RunStatus, TrainingRun } from '../generated/prisma/client';
import { NotFoundError } from '../errors';
import { translateWriteError, type JsonInput } from './prisma-errors';

export async function createTrainingRun(
  db: Db,
  factoryId: string,
  input: { modelId: string; totalSteps: number },
): Promise<TrainingRun> {
  try {
    return await db.trainingRun.create({ data: { factoryId, modelId: input.modelId, totalSteps: input.totalSteps } });
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
