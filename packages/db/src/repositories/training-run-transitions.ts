// Status changes of a training run that must not overwrite a concurrent one: the API may
// cancel a run at any moment while a worker is starting or finishing it.
import type { Db } from '../client';
import type { RunStatus, TrainingRun } from '../generated/prisma/client';
import { NotFoundError } from '../errors';

/**
 * Marks a QUEUED or RUNNING run as RUNNING on `workerId` and returns it; returns null (and
 * changes nothing) when the run already ended (CANCELLED, SUCCEEDED, FAILED).
 */
export async function claimTrainingRun(db: Db, factoryId: string, runId: string, workerId: string): Promise<TrainingRun | null> {
  const { count } = await db.trainingRun.updateMany({
    where: { id: runId, factoryId, status: { in: ['QUEUED', 'RUNNING'] } },
    data: { status: 'RUNNING', workerId, error: null },
  });
  if (count === 0) {
    const exists = await db.trainingRun.count({ where: { id: runId, factoryId } });
    if (!exists) throw new NotFoundError('TrainingRun', runId);
    return null;
  }
  await db.trainingRun.updateMany({ where: { id: runId, factoryId, startedAt: null }, data: { startedAt: new Date() } });
  return db.trainingRun.findFirstOrThrow({ where: { id: runId, factoryId } });
}

/**
 * Moves a RUNNING run to `status` (with the given fields); returns false when the run was not
 * RUNNING any more (e.g. cancelled meanwhile), in which case nothing is written.
 */
export async function transitionTrainingRun(
  db: Db,
  factoryId: string,
  runId: string,
  status: RunStatus,
  patch: { step?: number; error?: string | null; finishedAt?: Date | null; workerId?: string | null } = {},
): Promise<boolean> {
  const { count } = await db.trainingRun.updateMany({ where: { id: runId, factoryId, status: 'RUNNING' }, data: { ...patch, status } });
  return count === 1;
}
