import type { Db } from '../client';
import type { WorkerNode } from '../generated/prisma/client';

// What operators read about the worker fleet (the workers write through worker-nodes.ts).
// Worker rows are not tenant-owned; callers decide who may see them (ADR 0042).

/** Every registered worker, oldest first, with whether it reported within `aliveWithinMs`. */
export async function listWorkerFleet(db: Db, aliveWithinMs: number): Promise<(WorkerNode & { alive: boolean })[]> {
  const rows = await db.workerNode.findMany({ orderBy: [{ startedAt: 'asc' }, { id: 'asc' }] });
  const since = Date.now() - aliveWithinMs;
  return rows.map((r) => ({ ...r, alive: r.heartbeatAt.getTime() >= since }));
}
