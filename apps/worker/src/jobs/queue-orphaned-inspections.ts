// The API stores an Inspection row, then queues its job: two statements, so an API process
// killed between them (or a queue that refused the add) leaves a QUEUED row that no job will run.
// The line got no answer and may retry with its idempotency key (the API then queues the same
// row), but without a key, or without a retry, the row would stay QUEUED for good, and a closed
// lot holding it would never be measured (lot-job.ts waits until none is pending). Workers look
// for such rows as they look for dead workers' jobs, and queue them.
import type { WorkerUtils } from 'graphile-worker';
import { jobKey, TASK, type TaskName } from '@gansight/contracts';
import { listStaleQueuedInspections, type Db } from '@gansight/db';
import { jobSpec } from './job-queue';

/** At most this many rows a pass: a backlog's oldest rows first, the rest on later passes. */
const PASS_LIMIT = 200;

/**
 * Queues the inspections still QUEUED `olderThanMs` after they were stored that have no job
 * (a request takes far less between its two statements). Returns their ids. Safe to run in
 * every worker at once: the job key keeps one job per row.
 */
export async function queueOrphanedInspections(db: Db, utils: WorkerUtils, olderThanMs: number): Promise<string[]> {
  const orphans = await withoutJobs(utils, TASK.inspect, await listStaleQueuedInspections(db, olderThanMs, PASS_LIMIT));
  for (const i of orphans) {
    await utils.addJob(TASK.inspect, { factoryId: i.factoryId, inspectionId: i.id }, jobSpec(TASK.inspect, jobKey(TASK.inspect, i.id)));
  }
  return orphans.map((i) => i.id);
}

/** The rows of `task` that have no job under their key. */
export async function withoutJobs<R extends { id: string }>(utils: WorkerUtils, task: TaskName, rows: R[]): Promise<R[]> {
  if (rows.length === 0) return rows;
  const queued = await keysWithJobs(utils, rows.map((r) => jobKey(task, r.id)));
  return rows.filter((r) => !queued.has(jobKey(task, r.id)));
}

/** Which of `keys` name a job in the queue (waiting, running or failed for good). */
async function keysWithJobs(utils: WorkerUtils, keys: string[]): Promise<Set<string>> {
  const { rows } = await utils.withPgClient((client) =>
    client.query<{ key: string }>('SELECT key FROM graphile_worker._private_jobs WHERE key = ANY($1::text[])', [keys]),
  );
  return new Set(rows.map((r) => r.key));
}
