// The stack's queue worker, in a child process of its own: training runs seconds of synchronous
// TensorFlow.js work at a time, which inside the API's process froze every request (issue 13,
// item 9; ADR 0026). The child is apps/worker/src/main.ts, the same process a worker machine
// runs, configured like this stack and pointed at its database (worker-environment.ts). Its log
// lines come out here prefixed with [worker]; if it dies it is restarted, with growing pauses,
// until it keeps dying; then the stack says so.
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { WORKER_MAIN, type WorkerReadyMessage } from '@gansight/worker';

/** The worker's niceness (0 normal, 19 lowest): batch work behind requests. */
export const WORKER_NICE = 10;

export interface WorkerProcessOptions {
  /** The worker's environment on top of this process's (workerEnvironment(): settings and database). */
  env: Record<string, string>;
  log: (line: string) => void;
  /** Where the worker's JSON log lines go as they are (LOG_FORMAT=json); without it they go to `log`. */
  jsonLines?: (line: string) => void;
  /** How long a starting worker may take to load its backend and register (default 180 s). */
  readyTimeoutMs?: number;
  /** How long `stop()` waits for the drain (training checkpoints, inspections finish) before SIGKILL (default 5 s). */
  drainMs?: number;
  /** Pause before the first restart after a crash; doubles per crash in a row (default 1 s, at most 30 s). */
  restartDelayMs?: number;
  /** Crashes within `crashWindowMs` after which no more restarts are tried (default 5 in 5 minutes). */
  maxCrashes?: number;
  crashWindowMs?: number;
}

export interface SupervisedWorker {
  /** Pid of the running worker process (null while it restarts or after it gave up). */
  pid(): number | null;
  /** Drains the worker (SIGTERM), or kills it after `drainMs`; resolves once it has exited. */
  stop(): Promise<{ forced: boolean }>;
}

/** Lines of the child's stdout/stderr, without its own time stamp (the stack adds one); JSON lines to `jsonLines` untouched. */
function relayLines(child: ChildProcess, log: (line: string) => void, jsonLines?: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        if (jsonLines && line.startsWith('{')) jsonLines(line);
        // The child's own time stamp and level go: the stack's log line gives both again.
        else log(`[worker] ${line.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, '').replace(/^(?:DEBUG|WARN|ERROR) /, '').replace(/^\[worker\] /, '')}`);
      }
    });
    stream?.on('end', () => rest.trim() && log(`[worker] ${rest}`));
  }
}

function spawnWorker(o: WorkerProcessOptions): ChildProcess {
  const child = fork(WORKER_MAIN, [], {
    // tsx by URL: the user's working directory need not be the repository.
    execArgv: ['--import', import.meta.resolve('tsx')],
    cwd: process.cwd(),
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // The API answers people, the worker runs batch work: on a machine both share, the worker
  // yields the CPU to the API (and PostgreSQL) when both want it. Set before the ML backend
  // starts its threads, which inherit it. Best effort: not every system lets us.
  try {
    if (child.pid) os.setPriority(child.pid, WORKER_NICE);
  } catch {
    // keep the default priority
  }
  relayLines(child, o.log, o.jsonLines);
  return child;
}

/** Resolves when the child reports that it takes jobs; rejects if it exits first or takes too long. */
function whenReady(child: ChildProcess, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The worker process did not start within ${ms / 1000} s.`));
    }, ms);
    const onMessage = (m: WorkerReadyMessage) => {
      if (m?.type !== 'ready') return;
      cleanup();
      resolve();
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanup();
      reject(new Error(`The worker process exited during start-up (${signal ?? `code ${code}`}); its output is above.`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Starts the worker process and waits until it takes jobs; it is supervised from then on. */
export async function startWorkerProcess(o: WorkerProcessOptions): Promise<SupervisedWorker> {
  const drainMs = o.drainMs ?? 5000;
  const maxCrashes = o.maxCrashes ?? 5;
  const crashWindowMs = o.crashWindowMs ?? 300_000;
  let child: ChildProcess | null = spawnWorker(o);
  await whenReady(child, o.readyTimeoutMs ?? 180_000);
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  const crashes: number[] = [];

  const supervise = (c: ChildProcess) => {
    c.once('exit', (code, signal) => {
      if (child === c) child = null;
      if (stopping) return;
      const now = Date.now();
      crashes.push(now);
      while (crashes.length && crashes[0]! < now - crashWindowMs) crashes.shift();
      const how = signal ?? `code ${code}`;
      if (crashes.length >= maxCrashes) {
        o.log(
          `[worker] exited (${how}), the ${crashes.length}th time in ${crashWindowMs / 60_000} minutes; not restarting it. ` +
            'The API keeps running, but jobs wait in the queue until a worker runs: see the lines above, then restart gansight (or run `gansight worker`).',
        );
        return;
      }
      const delay = Math.min(30_000, (o.restartDelayMs ?? 1000) * 2 ** (crashes.length - 1));
      o.log(`[worker] exited unexpectedly (${how}); restarting it in ${delay / 1000} s (its jobs resume from their last checkpoint)`);
      restartTimer = setTimeout(() => {
        if (stopping) return;
        const next = spawnWorker(o);
        child = next;
        supervise(next);
        whenReady(next, o.readyTimeoutMs ?? 180_000).then(
          () => o.log(`[worker] restarted (pid ${next.pid})`),
          (err: Error) => o.log(`[worker] restart failed: ${err.message}`),
        );
      }, delay);
    });
  };
  supervise(child);

  let stopped: Promise<{ forced: boolean }> | undefined;
  return {
    pid: () => child?.pid ?? null,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        clearTimeout(restartTimer);
        const c = child;
        if (!c || c.exitCode !== null || c.signalCode !== null) return { forced: false };
        const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
        c.kill('SIGTERM');
        let forced = false;
        const timer = setTimeout(() => {
          forced = true;
          o.log(`[worker] did not drain within ${drainMs / 1000} s; killed (its jobs resume from their last checkpoint on the next start)`);
          c.kill('SIGKILL');
        }, drainMs);
        await exited;
        clearTimeout(timer);
        return { forced };
      })()),
  };
}
