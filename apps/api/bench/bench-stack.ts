// What read-latency.ts and ceiling.ts share: a throw-away database with one factory, product,
// active model and API key; inspections seeded by one INSERT ... SELECT; the load generator
// (load-client.ts) started as a child process per run; and the CPU time the processes on
// each side of a run spent, read from /proc.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { activateModel, bootstrapFactory, createImage, createModel, createProduct, updateModel, type Db } from '@gansight/db';
import { generateApiKey, hashPassword } from '@gansight/contracts';
import type { LoadJob, LoadResult } from './load-client';

export interface BenchData {
  factoryId: string;
  productId: string;
  modelId: string;
  imageId: string;
  /** An API key with `results:read` (what an integrator reading results holds). */
  token: string;
}

/** One factory with a product, an active model, one image and an API key. */
export async function createBenchData(db: Db): Promise<BenchData> {
  const key = generateApiKey();
  const { factoryId } = await bootstrapFactory(db, {
    name: 'Bench Works',
    admin: { email: 'bench@example.com', passwordHash: await hashPassword('bench password 123') },
    apiKey: { name: 'bench', prefix: key.prefix, secretHash: key.secretHash, scopes: ['results:read'] },
  });
  const product = await createProduct(db, factoryId, { name: 'Cell', imageSize: 64, channels: 1 });
  const model = await createModel(db, factoryId, { productId: product.id });
  await updateModel(db, factoryId, model.id, { status: 'READY' });
  await activateModel(db, factoryId, model.id);
  const { image } = await createImage(db, factoryId, {
    productId: product.id, blobKey: `factories/${factoryId}/images/bench.png`, sha256: 'f'.repeat(64),
    width: 64, height: 64, contentType: 'image/png', byteSize: 1,
  });
  return { factoryId, productId: product.id, modelId: model.id, imageId: image.id, token: key.token };
}

/**
 * Grows the table from `from` to `rows` inspections (ids bench<from+1>..bench<rows>) through one
 * INSERT ... SELECT (the rollup triggers see it as one statement). Rows scatter over the last 90
 * days (g * 7919 mod 90 days, so every size covers the whole range), 6 stations, ~4% failing,
 * with a reconstruction and residual blob key each like a finished inspection. Returns seconds.
 */
export async function seedInspections(db: Db, data: BenchData, from: number, rows: number): Promise<number> {
  const started = performance.now();
  const { factoryId } = data;
  await db.$executeRaw`
    INSERT INTO "Inspection" ("id", "factoryId", "productId", "modelId", "imageId", "status", "verdict", "normalizedScore", "anomalyScore", "station",
                              "reconstructionKey", "residualKey", "createdAt", "completedAt")
    SELECT 'bench' || g, ${factoryId}, ${data.productId}, ${data.modelId}, ${data.imageId}, 'DONE',
           (CASE WHEN g % 25 = 0 THEN 'FAIL' ELSE 'PASS' END)::"Verdict", (g % 1000) / 400.0, (g % 1000) / 100.0, 'S' || (g % 6),
           ${`factories/${factoryId}/inspections/`} || g || '/reconstruction.png', ${`factories/${factoryId}/inspections/`} || g || '/residual.png',
           now() - ((g::bigint * 7919) % 7776000) * interval '1 second', now()
    FROM generate_series(${from + 1}::int, ${rows}::int) g`;
  // VACUUM as well: otherwise autovacuum processes the new rows during the first timed runs,
  // competing for the CPU (and, in ceiling.ts, counted as the reads' PostgreSQL time).
  await db.$executeRawUnsafe('VACUUM ANALYZE "Inspection"');
  await db.$executeRawUnsafe('VACUUM ANALYZE "InspectionHourlyStat"');
  await db.$executeRawUnsafe('VACUUM ANALYZE "InspectionDailyStat"');
  return (performance.now() - started) / 1000;
}

const clientPath = fileURLToPath(new URL('./load-client.ts', import.meta.url));

/** Called when the load generator opens and closes its timed window (to sample CPU over it). */
export interface WindowHooks {
  onOpen?: () => void | Promise<void>;
  onClose?: () => void | Promise<void>;
}

/** Runs the load generator in a process of its own and returns its one-line result. */
export async function runLoad(job: LoadJob, hooks: WindowHooks = {}): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', clientPath, JSON.stringify(job)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: (job.seconds + job.warmupSeconds + 120) * 1000,
  });
  let stdout = '';
  let stderr = '';
  const pending: Promise<void>[] = [];
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => {
    const text = c.toString('utf8');
    stderr += text;
    if (text.includes('window-open')) pending.push(Promise.resolve(hooks.onOpen?.()));
    if (text.includes('window-closed')) pending.push(Promise.resolve(hooks.onClose?.()));
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  await Promise.all(pending);
  if (code !== 0) throw new Error(`load-client exited with ${code}: ${stderr.slice(-2000)}`);
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadResult;
}

/** CPU milliseconds per request of each side over a load run's timed window. */
export interface CpuSplit {
  serverCpuMsPerReq: number;
  postgresCpuMsPerReq: number;
  clientCpuMsPerReq: number;
  /** Everything the machine ran during the window, per request (other people's jobs included). */
  machineCpuMsPerReq: number;
}

/**
 * Runs one load and measures where the CPU went during its timed window: this process (the
 * server under test), the PostgreSQL server behind `db`, and the load generator. Their sum per
 * request bounds throughput: n cores can answer at most n * 1000 / sum requests per second.
 */
export async function runLoadWithCpu(job: LoadJob, db: Db): Promise<LoadResult & CpuSplit> {
  type Sample = { own: number; pg: Map<number, number>; machine: number };
  const postmaster = await postmasterPid(db);
  let at: Sample | undefined;
  let spent: { own: number; pg: number; machine: number } | undefined;
  const sample = (): Sample => ({ own: ownCpuMs(), machine: machineBusyMs(), pg: postgresCpuMs(postmaster) });
  const result = await runLoad(job, {
    onOpen: () => void (at = sample()),
    onClose: () => {
      const now = sample();
      spent = at && { own: now.own - at.own, pg: postgresCpuBetween(at.pg, now.pg), machine: now.machine - at.machine };
    },
  });
  const per = (ms: number | undefined) => (ms === undefined || !result.requests ? NaN : Number((ms / result.rps / job.seconds).toFixed(3)));
  return { ...result, serverCpuMsPerReq: per(spent?.own), postgresCpuMsPerReq: per(spent?.pg), clientCpuMsPerReq: per(result.clientCpuMs), machineCpuMsPerReq: per(spent?.machine) };
}

/** The first three fields of /proc/loadavg ('' where there is none). */
export async function loadavg(): Promise<string> {
  return (await readFile('/proc/loadavg', 'utf8').catch(() => '')).split(' ').slice(0, 3).join(' ');
}

/** CPU milliseconds `pid` has run so far (0 when it has gone); schedstat counts nanoseconds, stat only 10 ms ticks. */
export function processCpuMs(pid: number): number {
  return Number(readProc(`/proc/${pid}/schedstat`).split(' ')[0]) / 1e6 || 0;
}

// /proc is read synchronously on purpose: under load every await waits for a turn of a busy
// event loop, and a sample spread over seconds would not mark the window's edge.
function readProc(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The postmaster's pid of the server behind `db`, from its postmaster.pid (read before any load). */
export async function postmasterPid(db: Db): Promise<number> {
  const [row] = await db.$queryRawUnsafe<{ dir: string }[]>(`SELECT current_setting('data_directory') AS dir`);
  return Number(readProc(path.join(row!.dir, 'postmaster.pid')).split('\n')[0]);
}

/**
 * CPU milliseconds spent so far by each process of one PostgreSQL server: the postmaster and its
 * children (backends, autovacuum, walwriter, ...), so other servers on the machine do not count.
 */
export function postgresCpuMs(postmaster: number): Map<number, number> {
  const byPid = new Map([[postmaster, processCpuMs(postmaster)]]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(`/proc/${entry}/stat`);
    // Fields after the parenthesised command name: state, ppid, ...
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === postmaster) byPid.set(Number(entry), processCpuMs(Number(entry)));
  }
  return byPid;
}

/**
 * What the server's processes ran between two samples. A process that started in between counts
 * whole; one that exited in between takes its time with it (an undercount, never a negative
 * figure: a worker that exits is not subtracted). The pools' connections stay open all run.
 */
export function postgresCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** Busy CPU milliseconds of the whole machine so far, all cores (everything but idle and iowait). */
export function machineBusyMs(): number {
  const line = readProc('/proc/stat').split('\n')[0] ?? '';
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  return (total - (ticks[3] ?? 0) - (ticks[4] ?? 0)) * 10; // USER_HZ is 100: a tick is 10 ms
}

/** CPU milliseconds this process has spent so far (user + system). */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
