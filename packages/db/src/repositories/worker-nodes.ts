import type { Db } from '../client';
import type { WorkerNode } from '../generated/prisma/client';
import { NotFoundError } from '../errors';

// Workers are not tenant-owned: one worker serves every factory. Nothing here returns
// tenant data.

export async function registerWorker(db: Db, input: { host: string; backend: string; version: string }): Promise<WorkerNode> {
  return db.workerNode.create({ data: input });
}

export async function heartbeatWorker(db: Db, workerId: string, jobsInFlight: number): Promise<void> {
  const { count } = await db.workerNode.updateMany({
    where: { id: workerId },
    data: { heartbeatAt: new Date(), jobsInFlight },
  });
  if (count === 0) throw new NotFoundError('WorkerNode', workerId);
}

/** Workers that reported within `withinMs`. */
export async function listLiveWorkers(db: Db, withinMs = 60_000): Promise<WorkerNode[]> {
  return db.workerNode.findMany({
    where: { heartbeatAt: { gte: new Date(Date.now() - withinMs) } },
    orderBy: { startedAt: 'asc' },
  });
}

export async function removeWorker(db: Db, workerId: string): Promise<void> {
  await db.workerNode.deleteMany({ where: { id: workerId } });
}
