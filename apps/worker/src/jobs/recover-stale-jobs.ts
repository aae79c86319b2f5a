// graphile-worker frees the jobs of a worker that died without unlocking them only after four
// hours. Jobs are locked under the worker *pool's* id (random, chosen by graphile-worker), so
// every pool of ours holds one extra connection whose application_name names that pool id:
// PostgreSQL drops the connection the moment the process dies, so a job whose lock names a
// pool without such a connection belongs to a dead process and can be handed on at once.
import pg from 'pg';
import type { WorkerUtils } from 'graphile-worker';
import { pruneWorkerNodes, type Db } from '@gansight/db';

const LIVENESS_PREFIX = 'gansight-pool:';

export interface PoolLiveness {
  close(): Promise<void>;
}

/** Holds the connection that tells other workers that `poolId` is alive; reconnects if it drops. */
export function holdPoolLiveness(connectionString: string, poolId: string, log: (line: string) => void): PoolLiveness {
  let closed = false;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  const connect = () => {
    if (closed) return;
    const c = new pg.Client({ connectionString, application_name: `${LIVENESS_PREFIX}${poolId}` });
    client = c;
    const retry = (why: string) => {
      if (client !== c || closed) return;
      client = null;
      c.end().catch((err: Error) => log(`[worker] liveness connection of ${poolId} not closed: ${err.message}`));
      log(`[worker] liveness connection of ${poolId} lost (${why}); reconnecting`);
      timer = setTimeout(connect, 500);
    };
    c.on('error', (err) => retry(err.message));
    c.on('end', () => retry('ended'));
    c.connect().catch((err: Error) => retry(err.message));
  };
  connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch((err: Error) => log(`[worker] liveness connection of ${poolId} not closed: ${err.message}`));
    },
  };
}

/**
 * Unlocks jobs locked longer than `staleMs` by pools that hold no liveness connection (their
 * process is gone); also forgets WorkerNode rows silent that long. Returns the pools freed.
 */
export async function recoverStaleJobs(db: Db, utils: WorkerUtils, staleMs: number, ownPools: string[] = []): Promise<string[]> {
  const { rows } = await utils.withPgClient((client) =>
    client.query<{ locked_by: string }>(
      `SELECT DISTINCT j.locked_by FROM graphile_worker._private_jobs j
        WHERE j.locked_by IS NOT NULL
          AND j.locked_at < now() - make_interval(secs => $1::double precision / 1000)
          AND NOT (j.locked_by = ANY($3::text[]))
          AND NOT EXISTS (
            SELECT 1 FROM pg_stat_activity a
             WHERE a.datname = current_database() AND a.application_name = $2 || j.locked_by)`,
      [staleMs, LIVENESS_PREFIX, ownPools],
    ),
  );
  const dead = rows.map((r) => r.locked_by);
  if (dead.length > 0) await utils.forceUnlockWorkers(dead);
  await pruneWorkerNodes(db, staleMs);
  return dead;
}
