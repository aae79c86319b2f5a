import type { Db } from '../client';
import type { WorkerNode } from '../generated/prisma/client';

/**
 * Puts a worker's row back under its own id after another worker pruned it (it was silent for
 * longer than the stale time, e.g. a slow start on a loaded machine), so it is listed again.
 */
export async function reviveWorkerNode(
  db: Db,
  node: Pick<WorkerNode, 'id' | 'host' | 'backend' | 'version' | 'startedAt'>,
  jobsInFlight: number,
): Promise<WorkerNode> {
  const now = new Date();
  return db.workerNode.upsert({
    where: { id: node.id },
    create: { ...node, jobsInFlight, heartbeatAt: now },
    update: { jobsInFlight, heartbeatAt: now },
  });
}
