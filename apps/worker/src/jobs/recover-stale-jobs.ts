// graphile-worker only frees the jobs of a worker that died without unlocking them after four
// hours. Our workers lock jobs under ids `gansight-<WorkerNode id>-<n>`, and every live worker
// heartbeats its WorkerNode row, so a job locked by a node that stopped heartbeating belongs
// to a dead process and can be handed to another worker at once.
import type { WorkerUtils } from 'graphile-worker';
import { listLiveWorkerNodes, pruneWorkerNodes, type Db } from '@gansight/db';

export const LOCK_PREFIX = 'gansight-';

export function queueWorkerId(nodeId: string, index: number): string {
  return `${LOCK_PREFIX}${nodeId}-${index}`;
}

function nodeIdOf(lockedBy: string): string | null {
  if (!lockedBy.startsWith(LOCK_PREFIX)) return null;
  const rest = lockedBy.slice(LOCK_PREFIX.length);
  const dash = rest.lastIndexOf('-');
  return dash > 0 ? rest.slice(0, dash) : null;
}

/** Unlocks jobs held by workers silent for longer than `staleMs`; returns the queue worker ids freed. */
export async function recoverStaleJobs(db: Db, utils: WorkerUtils, staleMs: number): Promise<string[]> {
  const { rows } = await utils.withPgClient((client) =>
    client.query<{ locked_by: string }>(
      'SELECT DISTINCT locked_by FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL',
    ),
  );
  const live = new Set((await listLiveWorkerNodes(db, staleMs)).map((n) => n.id));
  const dead = rows.map((r) => r.locked_by).filter((id) => {
    const node = nodeIdOf(id);
    return node !== null && !live.has(node);
  });
  if (dead.length > 0) await utils.forceUnlockWorkers(dead);
  await pruneWorkerNodes(db, staleMs);
  return dead;
}
