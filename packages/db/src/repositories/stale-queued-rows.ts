import type { Db } from '../client';
import type { ModelStatus } from '../generated/prisma/client';

// Rows an API process stored, then died (or the queue refused) before queueing their job: the
// worker's sweep asks the queue which of these have no job and queues them (ADR 0057, 0060).
// Each query reads every factory at once; training runs and evaluations are few (one a start), and
// closed lots that are not settled yet are few once the sweep has run, so no index is added.

const ageSql = (olderThanMs: number) => olderThanMs / 1000;

export interface StaleQueuedTrainingRun {
  factoryId: string;
  id: string;
  modelId: string;
  /** The run's pin (TrainingRun.backends): it is queued again under it. */
  backends: string[];
  modelVersion: number;
  modelStatus: ModelStatus;
}

/** Training runs still QUEUED more than `olderThanMs` after they were stored, oldest first, with their model's status. */
export async function listStaleQueuedTrainingRuns(db: Db, olderThanMs: number, limit: number): Promise<StaleQueuedTrainingRun[]> {
  return db.$queryRaw<StaleQueuedTrainingRun[]>`
    SELECT r."factoryId", r."id", r."modelId", r."backends", m."version" AS "modelVersion", m."status"::text AS "modelStatus"
      FROM "TrainingRun" r
      JOIN "Model" m ON m."id" = r."modelId" AND m."factoryId" = r."factoryId"
     WHERE r."status" = 'QUEUED' AND r."createdAt" < now() - make_interval(secs => ${ageSql(olderThanMs)}::float8)
     ORDER BY r."createdAt"
     LIMIT ${limit}`;
}

/** Evaluations still QUEUED more than `olderThanMs` after they were stored, oldest first. */
export async function listStaleQueuedEvaluations(db: Db, olderThanMs: number, limit: number): Promise<{ factoryId: string; id: string }[]> {
  return db.$queryRaw<{ factoryId: string; id: string }[]>`
    SELECT "factoryId", "id" FROM "Evaluation"
     WHERE "status" = 'QUEUED' AND "createdAt" < now() - make_interval(secs => ${ageSql(olderThanMs)}::float8)
     ORDER BY "createdAt"
     LIMIT ${limit}`;
}

/**
 * Lots closed more than `olderThanMs` ago whose measurement has not settled and that hold no
 * pending inspection (while one is pending, the last to finish queues the measurement).
 */
export async function listUnsettledClosedLots(db: Db, olderThanMs: number, limit: number): Promise<{ factoryId: string; id: string }[]> {
  return db.$queryRaw<{ factoryId: string; id: string }[]>`
    SELECT l."factoryId", l."id" FROM "Lot" l
     WHERE l."status" = 'CLOSED' AND l."measurementSettledAt" IS NULL
       AND l."closedAt" < now() - make_interval(secs => ${ageSql(olderThanMs)}::float8)
       AND NOT EXISTS (
         SELECT 1 FROM "Inspection" i
          WHERE i."factoryId" = l."factoryId" AND i."lotId" = l."id" AND i."status" IN ('QUEUED', 'RUNNING'))
     ORDER BY l."closedAt"
     LIMIT ${limit}`;
}

/**
 * Ends a training run that is still QUEUED (a run the sweep must not queue again: its model was
 * cancelled or has ended). Returns whether this call ended it.
 */
export async function endQueuedTrainingRun(
  db: Db,
  factoryId: string,
  runId: string,
  end: { status: 'FAILED' | 'CANCELLED'; error: string },
): Promise<boolean> {
  const { count } = await db.trainingRun.updateMany({
    where: { id: runId, factoryId, status: 'QUEUED' },
    data: { status: end.status, error: end.error, finishedAt: new Date() },
  });
  return count === 1;
}
