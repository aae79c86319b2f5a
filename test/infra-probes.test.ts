import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWorkerNode } from '@gansight/db';
import { createTestDatabase, type TestDatabase } from '@gansight/db/testing';
import { repoRoot } from './support/run-cli';

// The health checks the images and the Kubernetes manifests run (infra/probes), run here as
// the kubelet would: a separate process whose exit code decides, against a real PostgreSQL.

function probe(script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'infra/probes', script), ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

describe('worker-alive.mjs (liveness and readiness of a queue worker)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  const env = () => ({ DATABASE_URL: database.url });

  it('fails while this host has not registered a worker', async () => {
    await registerWorkerNode(database.db, { host: 'another-pod', backend: 'wasm', version: 't' });
    const result = await probe('worker-alive.mjs', [], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not registered/);
  });

  it('passes for a fresh heartbeat, and checks the backend when asked', async () => {
    await registerWorkerNode(database.db, { host: os.hostname(), backend: 'wasm', version: 't' });
    expect((await probe('worker-alive.mjs', [], env())).code).toBe(0);
    expect((await probe('worker-alive.mjs', ['--backend', 'wasm'], env())).code).toBe(0);
    const gpu = await probe('worker-alive.mjs', ['--backend', 'tensorflow-gpu'], env());
    expect(gpu.code).toBe(1);
    expect(gpu.stderr).toMatch(/runs on wasm, not tensorflow-gpu/);
  });

  it('fails once the heartbeat is older than WORKER_STALE_AFTER_MS (when the fleet hands its jobs on)', async () => {
    await database.db.workerNode.updateMany({ where: { host: os.hostname() }, data: { heartbeatAt: new Date(Date.now() - 90_000) } });
    const stale = await probe('worker-alive.mjs', [], env());
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/no heartbeat for 9\d{4} ms \(limit 60000\)/);
    expect((await probe('worker-alive.mjs', [], { ...env(), WORKER_STALE_AFTER_MS: '120000' })).code).toBe(0);
  });

  it('fails when the database cannot be reached, and refuses bad usage', async () => {
    const down = await probe('worker-alive.mjs', [], { DATABASE_URL: 'postgresql://nobody:x@127.0.0.1:1/none' });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot read the worker registry/);
    expect((await probe('worker-alive.mjs', ['--backend'], env())).code).toBe(2);
    expect((await probe('worker-alive.mjs', [], {})).code).toBe(2);
  });
});

describe('http-ok.mjs (health check of the API and dashboard images)', () => {
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.statusCode = req.url === '/healthz' ? 200 : req.url === '/login' ? 307 : 503;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('passes on 2xx and 3xx, fails on 5xx and on no answer', async () => {
    expect((await probe('http-ok.mjs', [`${origin}/healthz`])).code).toBe(0);
    expect((await probe('http-ok.mjs', [`${origin}/login`])).code).toBe(0);
    const failing = await probe('http-ok.mjs', [`${origin}/broken`]);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/answered 503/);
    expect((await probe('http-ok.mjs', ['http://127.0.0.1:1/healthz'])).code).toBe(1);
  });
});
