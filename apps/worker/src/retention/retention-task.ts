// The `retention` task and its schedule. Not a job the API queues (so not in the contracts'
// TASK list): every worker's graphile-worker cron schedules it, and graphile-worker's
// known-crontab bookkeeping makes each hourly slot run once in the whole fleet.
import type { CronItem, Task } from 'graphile-worker';
import type { WorkerContext } from '../worker-context';
import { runRetention } from './run-retention';

export const RETENTION_TASK = 'retention';

/** Hourly, off the full hour; never backfilled (the next run catches up), after every other kind of job. */
export const RETENTION_SCHEDULE: CronItem[] = [
  {
    task: RETENTION_TASK,
    match: '23 * * * *',
    identifier: RETENTION_TASK,
    options: { backfillPeriod: 0, maxAttempts: 1, priority: 100, jobKey: RETENTION_TASK },
  },
];

export function retentionTask(ctx: WorkerContext): Task {
  return async () => {
    const totals = await runRetention({ db: ctx.db, blobs: ctx.blobs, log: ctx.log, signal: ctx.drain });
    // Failed for some factory: the job says so (its metric's state), the next run goes on.
    if (totals.failed.length) throw new Error(`retention stopped for ${totals.failed.length} factories; the next run goes on (see the log)`);
  };
}
