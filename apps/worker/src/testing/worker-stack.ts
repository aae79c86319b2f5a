// What every worker integration test sets up around the fixture: a job queue and an event
// subscriber on its database, worker processes started from main.ts, and one dispose that
// kills the workers before it closes the rest and drops the database.
import { createEventSubscriber, type EventSubscriber } from '@gansight/events';
import { getTrainingRun } from '@gansight/db';
import { createJobQueue, type JobQueue } from '../jobs/job-queue';
import {
  createWorkerFixture, killAll, settledModel, spawnWorker, waitFor, workerReady, type WorkerFixture, type WorkerProcess,
} from './worker-fixture';

export interface WorkerStack {
  f: WorkerFixture;
  queue: JobQueue;
  subscriber: EventSubscriber;
  /** Every worker started so far, first first. */
  workers: WorkerProcess[];
  /** Spawns a worker on the fixture (env overrides spawnWorker's) and waits until it polls the queue. */
  startWorker(env?: Record<string, string>): Promise<WorkerProcess>;
  /** SIGKILLs the workers still running (a failed test must not leave them to take the next test's jobs). */
  killWorkers(): Promise<void>;
  /** `drain`: stop the workers with SIGTERM (a clean drain) instead of SIGKILL first. */
  dispose(o?: { drain?: boolean }): Promise<void>;
}

export async function createWorkerStack(): Promise<WorkerStack> {
  const f = await createWorkerFixture();
  const queue = await createJobQueue({ connectionString: f.database.url });
  const subscriber = createEventSubscriber({ connectionString: f.database.url });
  await subscriber.ready();
  const workers: WorkerProcess[] = [];
  return {
    f, queue, subscriber, workers,
    async startWorker(env = {}) {
      const w = spawnWorker(f, env);
      workers.push(w);
      await workerReady(w);
      return w;
    },
    killWorkers: () => killAll(workers),
    async dispose(o = {}) {
      if (o.drain) {
        const running = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
        for (const w of running) w.child.kill('SIGTERM');
        await Promise.all(running.map((w) => w.exited));
      }
      await killAll(workers);
      await subscriber.close();
      await queue.release();
      await f.dispose();
    },
  };
}

/** Trains a queued model (e.g. queueTinyTraining's) on the running workers and returns its id once READY. */
export async function trainReadyModel(s: WorkerStack, job: { modelId: string; runId: string }, ms = 240_000): Promise<string> {
  await s.queue.enqueueTraining({ factoryId: s.f.factoryId, ...job });
  const run = await waitFor(() => getTrainingRun(s.f.db, s.f.factoryId, job.runId), (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED', ms, 'training');
  const model = await settledModel(s.f, job.modelId);
  if (model.status !== 'READY') throw new Error(`training ${job.runId} ended ${run.status}, model ${model.status}: ${model.error ?? run.error ?? ''}`);
  return job.modelId;
}
