import os from 'node:os';
import { Logger, run, type Runner, type TaskList } from 'graphile-worker';
import { heartbeatWorkerNode, registerWorkerNode, unregisterWorkerNode, type Db } from '@gansight/db';

export interface WorkerOptions {
  databaseUrl: string;
  db: Db;
  concurrency: number;
  /** ML backend this worker runs on, advertised to operators (e.g. "wasm", "tensorflow-gpu"). */
  backend: string;
  version: string;
  /** Job handlers by name; the queue lives in PostgreSQL (graphile-worker). */
  tasks: TaskList;
  heartbeatMs?: number;
  log: (line: string) => void;
}

export interface RunningWorker {
  workerId: string;
  /** Stops taking jobs, lets jobs in flight finish, then deregisters. */
  stop(): Promise<void>;
}

/** Starts a queue worker in this process and advertises it in the worker registry. */
export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const node = await registerWorkerNode(o.db, { host: os.hostname(), backend: o.backend, version: o.version });
  let inFlight = 0;
  let runner: Runner;
  try {
    runner = await run({
      connectionString: o.databaseUrl,
      concurrency: o.concurrency,
      noHandleSignals: true, // the process owner (CLI) decides how to shut down
      pollInterval: 1000,
      taskList: o.tasks,
      // graphile-worker logs through ours, without its debug chatter.
      logger: new Logger(() => (level, message) => {
        if (level !== 'debug') o.log(`[worker] ${level}: ${message}`);
      }),
    });
  } catch (err) {
    await unregisterWorkerNode(o.db, node.id).catch(() => undefined);
    throw err;
  }
  runner.events.on('job:start', () => void (inFlight += 1));
  runner.events.on('job:complete', () => void (inFlight -= 1));
  const beat = setInterval(() => {
    heartbeatWorkerNode(o.db, node.id, inFlight).catch((err: Error) => o.log(`[worker] heartbeat failed: ${err.message}`));
  }, o.heartbeatMs ?? 10_000);
  beat.unref();
  o.log(`[worker] ${node.id} ready on ${o.backend}, concurrency ${o.concurrency}, tasks: ${Object.keys(o.tasks).join(', ') || '(none yet)'}`);
  return {
    workerId: node.id,
    stop: async () => {
      clearInterval(beat);
      await runner.stop();
      await unregisterWorkerNode(o.db, node.id).catch(() => undefined);
    },
  };
}
