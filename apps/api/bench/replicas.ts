// Issue 15, "read-path load with two API processes on the two cores": the same reads as
// read-latency.ts (inspection by id, a 30-day defectTrends), the same load generator and clients,
// against 1 API process and then against 2 API processes on one PostgreSQL, side by side in one
// run. Clients are dealt round-robin over the processes (what a balancer in front of replicas
// does); every API is a child process, in both cases, so the comparison is like for like.
//   node --import tsx apps/api/bench/replicas.ts [--rows 1000000] [--clients 200] [--seconds 10] [--warmup 2] [--processes 1,2] [--reads by-id,trends]
// One JSON line per run, with the CPU milliseconds per request of the API processes (summed),
// PostgreSQL and the load generator over the timed window. Loopback only; bounded by --seconds
// (at most 120) and --clients (at most 1000).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDbClient } from '@gansight/db';
import { createTestDatabase } from '@gansight/db/testing';
import { LOAD_OPTIONS } from './bench-api';
import {
  createBenchData, loadavg, machineBusyMs, postgresCpuBetween, postgresCpuMs, postmasterPid, processCpuMs, runLoad, seedInspections,
} from './bench-stack';
import type { LoadJob } from './load-client';

const { values } = parseArgs({
  options: { ...LOAD_OPTIONS, processes: { type: 'string', default: '1,2' }, reads: { type: 'string', default: 'by-id,trends' } },
});
const ROWS = Number(values.rows);
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const PROCESSES = values.processes.split(',').map(Number);
const READS = values.reads.split(',') as LoadJob['read'][];
if ([ROWS, CLIENTS, SECONDS, ...PROCESSES].some((n) => !Number.isInteger(n) || n < 1) || SECONDS > 120 || CLIENTS > 1000 || Math.max(...PROCESSES) > 8) {
  throw new Error('rows, clients, seconds and processes are positive integers (at most 1000 clients, 120 s, 8 processes)');
}

const database = await createTestDatabase();
const db = createDbClient(database.url, { maxConnections: 5 });
const data = await createBenchData(db);
const seedSeconds = await seedInspections(db, data, 0, ROWS);
console.log(JSON.stringify({ seeded: ROWS, seedSeconds: Number(seedSeconds.toFixed(1)) }));
const postmaster = await postmasterPid(db);
const apiScript = fileURLToPath(new URL('./bench-api-process.ts', import.meta.url));

interface ApiChild { child: ChildProcess; url: string; pid: number }

async function startApis(n: number): Promise<ApiChild[]> {
  return Promise.all(Array.from({ length: n }, () => new Promise<ApiChild>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', apiScript], { env: { ...process.env, DATABASE_URL: database.url }, stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('exit', (code) => reject(new Error(`API process exited with ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const { url, pid } = JSON.parse(line) as { url: string; pid: number };
      resolve({ child, url, pid });
    });
  })));
}

async function stopApis(apis: ApiChild[]) {
  await Promise.all(apis.map((a) => new Promise<void>((resolve) => {
    a.child.removeAllListeners('exit');
    a.child.once('exit', () => resolve());
    a.child.kill('SIGTERM');
  })));
}

for (const n of PROCESSES) {
  const apis = await startApis(n);
  for (const read of READS) {
    const before = await loadavg();
    type Sample = { apis: number; pg: Map<number, number>; machine: number };
    const sample = (): Sample => ({ apis: apis.reduce((s, a) => s + processCpuMs(a.pid), 0), pg: postgresCpuMs(postmaster), machine: machineBusyMs() });
    let at: Sample | undefined;
    let spent: { apis: number; pg: number; machine: number } | undefined;
    const result = await runLoad(
      { url: apis[0]!.url, urls: apis.map((a) => a.url), token: data.token, clients: CLIENTS, seconds: SECONDS, warmupSeconds: WARMUP, read, rows: ROWS, productId: data.productId },
      {
        onOpen: () => void (at = sample()),
        onClose: () => {
          const now = sample();
          spent = at && { apis: now.apis - at.apis, pg: postgresCpuBetween(at.pg, now.pg), machine: now.machine - at.machine };
        },
      },
    );
    const per = (ms: number | undefined) => (ms === undefined || !result.requests ? NaN : Number((ms / result.rps / SECONDS).toFixed(3)));
    console.log(JSON.stringify({
      apiProcesses: n, read, rows: ROWS, clients: CLIENTS, loadavgBefore: before, ...result,
      apiCpuMsPerReq: per(spent?.apis), postgresCpuMsPerReq: per(spent?.pg), clientCpuMsPerReq: per(result.clientCpuMs), machineCpuMsPerReq: per(spent?.machine),
    }));
  }
  await stopApis(apis);
}
await db.$disconnect();
await database.drop();
process.exit(0);
