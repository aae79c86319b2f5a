import type { Db } from '../client';

/**
 * Inspections of every factory still QUEUED more than `olderThanMs` after they were stored, the
 * oldest of each factory first, at most `limit`. The worker asks the queue which of them have no
 * job (an API process that died between storing the row and queueing it) and queues those.
 * One index probe per factory (Inspection's factoryId, status index), not a scan of the table.
 */
export async function listStaleQueuedInspections(db: Db, olderThanMs: number, limit: number): Promise<{ factoryId: string; id: string }[]> {
  return db.$queryRaw<{ factoryId: string; id: string }[]>`
    SELECT i."factoryId", i."id"
      FROM "Factory" f
      CROSS JOIN LATERAL (
        SELECT "factoryId", "id", "createdAt" FROM "Inspection"
         WHERE "factoryId" = f."id" AND "status" = 'QUEUED'
           AND "createdAt" < now() - make_interval(secs => ${olderThanMs / 1000}::float8)
         ORDER BY "createdAt"
         LIMIT ${limit}
      ) i
     ORDER BY i."createdAt"
     LIMIT ${limit}`;
}
