// Wraps the worker's job handlers and its event publisher, so that job runner files stay as
// they are: each job runs with its job id, task and factory on every log line (an
// AsyncLocalStorage read by the logger), its duration is recorded with how it ended, and the
// events a job publishes tell that ending apart (a handler that marked its row FAILED or
// CANCELLED returns normally).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { JobHelpers, Task, TaskList } from 'graphile-worker';
import type { EventPublisher } from '@gansight/events';
import { withLogContext } from '@gansight/telemetry';
import type { JobState, WorkerMetrics } from './worker-metrics';

interface JobRecord {
  /** Set when the job published its row's failure or cancellation. */
  outcome?: 'failed' | 'cancelled';
}

export interface ObservedJobs {
  tasks(list: TaskList): TaskList;
  events(publisher: EventPublisher): EventPublisher;
}

export function observeJobs(metrics: WorkerMetrics): ObservedJobs {
  const records = new AsyncLocalStorage<JobRecord>();
  return {
    tasks: (list) =>
      Object.fromEntries(
        (Object.entries(list) as [string, Task][]).map(([kind, handler]) => [
          kind,
          (payload: unknown, helpers: JobHelpers) => {
            const factoryId = (payload as { factoryId?: unknown } | null)?.factoryId;
            const fields = { jobId: helpers.job.id, task: kind, factoryId: typeof factoryId === 'string' ? factoryId : undefined };
            const record: JobRecord = {};
            const started = performance.now();
            const finish = (state: JobState) => metrics.jobFinished(kind, record.outcome ?? state, (performance.now() - started) / 1000);
            return withLogContext(fields, () =>
              records.run(record, async () => {
                try {
                  const result = await handler(payload, helpers);
                  finish('done');
                  return result;
                } catch (err) {
                  const draining = (err as { code?: unknown })?.code === 'WORKER_DRAINING';
                  finish(draining || helpers.job.attempts < helpers.job.max_attempts ? 'requeued' : 'failed');
                  throw err;
                }
              }),
            );
          },
        ]),
      ),
    events: (publisher) => ({
      publish(event) {
        const record = records.getStore();
        if (record && event.kind.endsWith('.failed')) record.outcome = 'failed';
        if (record && event.kind.endsWith('.cancelled')) record.outcome = 'cancelled';
        const rate = event.kind === 'training.progress' ? event.data?.imagesPerSecond : undefined;
        if (typeof rate === 'number' && Number.isFinite(rate)) metrics.trainingImagesPerSecond(rate);
        return publisher.publish(event);
      },
      close: () => publisher.close(),
    }),
  };
}
