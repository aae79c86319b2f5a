// Health check of a queue worker, which serves no HTTP: the worker is alive while the newest row
// it registered in the worker registry (WorkerNode, host = this container's host name) has a
// heartbeat younger than WORKER_STALE_AFTER_MS, the same limit after which the fleet hands its
// jobs to other workers (apps/worker). `--backend KIND` also requires that row's backend to be
// KIND (e.g. tensorflow-gpu), so a GPU worker that fell back to CPU or WebAssembly never counts
// as ready. Exit 0: healthy; 1: not (the reason on stderr); 2: bad usage.
// Plain JavaScript (no tsx): Kubernetes and Docker run it every few seconds.
import os from 'node:os';
import pg from 'pg';

const args = process.argv.slice(2);
const backendAt = args.indexOf('--backend');
const backend = backendAt >= 0 ? args[backendAt + 1] : undefined;
if ((backendAt >= 0 && !backend) || args.length !== (backendAt >= 0 ? 2 : 0)) {
  process.stderr.write('usage: node infra/probes/worker-alive.mjs [--backend tensorflow-gpu|tensorflow-cpu|wasm|cpu]\n');
  process.exit(2);
}
const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('DATABASE_URL is not set\n');
  process.exit(2);
}
const staleAfterMs = Number(process.env.WORKER_STALE_AFTER_MS || 60_000);
const host = os.hostname();

function unhealthy(reason) {
  process.stderr.write(`worker on ${host}: ${reason}\n`);
  process.exit(1);
}

const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, statement_timeout: 5000 });
try {
  await client.connect();
  const { rows } = await client.query(
    `SELECT backend, extract(epoch FROM (now() - "heartbeatAt")) * 1000 AS "silentMs"
       FROM "WorkerNode" WHERE host = $1 ORDER BY "startedAt" DESC LIMIT 1`,
    [host],
  );
  const node = rows[0];
  if (!node) unhealthy('not registered (still starting, or its registration failed)');
  if (Number(node.silentMs) > staleAfterMs) unhealthy(`no heartbeat for ${Math.round(node.silentMs)} ms (limit ${staleAfterMs})`);
  if (backend && node.backend !== backend) unhealthy(`runs on ${node.backend}, not ${backend}`);
  process.exit(0);
} catch (err) {
  unhealthy(`cannot read the worker registry: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  await client.end().catch(() => undefined);
}
