import type { Db } from '../client';
import type { WorkerNode } from '../generated/prisma/client';
import { NotFoundError } from '../errors';

// The registry of worker processes (the queue itself is graphile-worker's, in its own schema).
// Workers are not tenant-owned: one worker serves every factory, and nothing here returns
// tenant data.

export async function registerWorkerNode(
  db: Db,
  input: { host: string; backend: string; version: string },
): Promise<WorkerNode> {
  return db.workerNode.create({ data: input });
}

export async function heartbeatWorkerNode(db: Db, workerId: string, jobsInFlight: number): Promise<void> {
  const { count } = await db.workerNode.updateMany({
    where: { id: workerId },
    data: { heartbeatAt: new Date(), jobsInFlight },
  });
  if (count === 0) throw new NotFoundError('WorkerNode', workerId);
}

/** Workers that reported within `withinMs`. */
export async function listLiveWorkerNodes(db: Db, withinMs = 60_000): Promise<WorkerNode[]> {
  return db.workerNode.findMany({
    where: { heartbeatAt: { gte: new Date(Date.now() - withinMs) } },
    orderBy: { startedAt: 'asc' },
  });
}

export async function unregisterWorkerNode(db: Db, workerId: string): Promise<void> {
  await db.workerNode.deleteMany({ where: { id: workerId } });
}

/** Removes workers silent for longer than `silentForMs` (crashed machines); returns how many. */
export async function pruneWorkerNodes(db: Db, silentForMs: number): Promise<number> {
  const { count } = await db.workerNode.deleteMany({ where: { heartbeatAt: { lt: new Date(Date.now() - silentForMs) } } });
  return count;
}
