import type { Db } from '../client';
import type { WorkerNode } from '../generated/prisma/client';

/**
 * Platform-level (not tenant-owned) registry of workers, for operators: what runs where, on
 * which ML backend, and whether it is alive.
 */
export async function registerWorkerNode(
  db: Db,
  input: { host: string; backend: string; version: string },
): Promise<WorkerNode> {
  return db.workerNode.create({ data: input });
}

/** Records that the worker is alive and how many jobs it is running. */
export async function heartbeatWorkerNode(db: Db, workerId: string, jobsInFlight: number): Promise<void> {
  await db.workerNode.updateMany({ where: { id: workerId }, data: { heartbeatAt: new Date(), jobsInFlight } });
}

/** Removes the worker from the registry when it stops cleanly. */
export async function unregisterWorkerNode(db: Db, workerId: string): Promise<void> {
  await db.workerNode.deleteMany({ where: { id: workerId } });
}

/** Workers seen within `aliveWithinMs` (default 60 s), newest first. */
export async function listLiveWorkerNodes(db: Db, aliveWithinMs = 60_000): Promise<WorkerNode[]> {
  return db.workerNode.findMany({
    where: { heartbeatAt: { gte: new Date(Date.now() - aliveWithinMs) } },
    orderBy: { heartbeatAt: 'desc' },
  });
}

/** Cheap round trip used by health checks. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
