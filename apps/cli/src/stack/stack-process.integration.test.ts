// `gansight start` as a user runs it, in a child process without a terminal (issue 13, items 9,
// 10 and 12): the worker in a process of its own, so that training does not freeze the API; a
// second start on the same data folder refused without stopping anything; SIGTERM with
// subscribers (one silent), a keep-alive connection and a training in flight stops everything
// within 10 s.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGansightClient, StartTrainingDocument, ModelDocument, TrainingProgressDocument, type GansightClient } from '@gansight/client';
import { freePort } from './free-port';
import {
  createFactoryKey, HEALTH_QUERY, INSPECTIONS_QUERY, quantile, seedProduct, spawnGansight, timedQuery, type StackProcess,
} from '../testing/stack-process';

let dataDir: string;
let env: Record<string, string>;
let stack: StackProcess;
let apiUrl: string;
let key: string;
let client: GansightClient;
let productId: string;
let drainedRunId: string;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const postmasterPid = async () => Number.parseInt((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]!, 10);

async function startTraining(hyperParameters: Record<string, number>) {
  const { startTraining } = await client.request(StartTrainingDocument, { productId, preset: 'FAST', hyperParameters });
  return { modelId: startTraining.model.id, runId: startTraining.run.id };
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'gansight-stack-process-'));
  env = {
    GANSIGHT_DATA_DIR: dataDir,
    API_PORT: String(await freePort()),
    START_WEB: 'false',
    ML_BACKEND: 'wasm',
    WORKER_PROGRESS_INTERVAL_MS: '200',
    WORKER_CANCEL_POLL_MS: '200',
  };
  // Named as a process manager or a container's init would run it: not "node". Such a live stack
  // was once taken for an orphan by a second start and its database shut down (item 12).
  stack = spawnGansight(env, { argv0: 'gansight' });
  apiUrl = (await stack.waitForLine(/API ready at ([^\s"]+)/))[1]!;
  await stack.waitForLine(/Gansight is running/);
  key = await createFactoryKey(env, 'Stack Tiles');
  client = createGansightClient({ url: apiUrl, apiKey: key });
  // 40 training images (every phase after the GAN runs, both densities) and 8 to calibrate on.
  productId = await seedProduct(client, { name: 'Tile', size: 32, train: 40, validation: 8 });
});

afterAll(async () => {
  await client?.close().catch(() => undefined);
  if (stack && stack.child.exitCode === null && stack.child.signalCode === null) {
    stack.child.kill('SIGTERM');
    await stack.exited;
  }
  await rm(dataDir, { recursive: true, force: true });
});

describe('gansight start in a child process', () => {
  it('runs the worker in a process of its own, a child of the stack', async () => {
    const workerPid = Number((await stack.waitForLine(/worker process (\d+) takes jobs/))[1]);
    expect(workerPid).not.toBe(stack.child.pid);
    const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${workerPid}/status`, 'utf8'))?.[1]);
    expect(ppid).toBe(stack.child.pid);
    expect(stack.output()).toMatch(/\[worker\] .*ready on wasm/);
  });

  it('writes JSON log lines without a terminal, the worker child\'s relayed as they are', () => {
    const entries = stack.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.find((e) => String(e.msg).startsWith('API ready at'))).toMatchObject({ level: 'info', role: 'stack', time: expect.any(String) });
    expect(entries.find((e) => String(e.msg).includes('ready on wasm'))).toMatchObject({ level: 'info', role: 'worker' });
  });

  it('reports a worker that dies and starts another one', async () => {
    const first = Number((await stack.waitForLine(/worker process (\d+) takes jobs/))[1]);
    process.kill(first, 'SIGKILL');
    await stack.waitForLine(/\[worker\] exited unexpectedly \(SIGKILL\); restarting it in 1 s/, 30_000);
    const next = Number((await stack.waitForLine(/\[worker\] restarted \(pid (\d+)\)/))[1]);
    expect(next).not.toBe(first);
    expect(Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${next}/status`, 'utf8'))?.[1])).toBe(stack.child.pid);
    await timedQuery(apiUrl, key, HEALTH_QUERY); // the API never noticed
  });

  it('refuses a second start on the same data folder, naming it, and stops nothing', async () => {
    const pidBefore = await postmasterPid();
    const second = spawnGansight({ ...env, API_PORT: String(await freePort()) });
    const { code } = await second.exited;
    expect(code, second.output()).toBe(2);
    expect(second.output()).toMatch(new RegExp(`EMBEDDED_PG_DATA_DIR_IN_USE: ${path.join(dataDir, 'postgres')} is in use`));
    expect(second.output()).toMatch(/Stop that gansight first/);
    expect(await postmasterPid()).toBe(pidBefore);
    expect(alive(pidBefore)).toBe(true);
    await timedQuery(apiUrl, key, HEALTH_QUERY); // the first still answers
  });

  it('keeps answering health and inspection queries while a model trains (p99 under 500 ms on a loaded machine), and reports every phase', async () => {
    const { modelId, runId } = await startTraining({ steps: 60, batchSize: 16, encoderSteps: 150 });
    const seen: { kind: string; phase: string | null }[] = [];
    const unsubscribe = client.subscribe(TrainingProgressDocument, { runId }, {
      next: ({ trainingProgress: e }) => void seen.push({ kind: e.kind, phase: e.phase ?? null }),
      error: () => undefined,
    });
    const health: number[] = [];
    const inspections: number[] = [];
    let status = 'QUEUED';
    const until = Date.now() + 600_000;
    while ((status === 'QUEUED' || status === 'TRAINING') && Date.now() < until) {
      const round = Date.now();
      health.push(await timedQuery(apiUrl, key, HEALTH_QUERY));
      inspections.push(await timedQuery(apiUrl, key, INSPECTIONS_QUERY, { productId }));
      if (health.length % 10 === 0) status = (await client.request(ModelDocument, { id: modelId })).model.status;
      // About 17 requests a second: under the API key's rate limit (20 per second).
      await new Promise((r) => setTimeout(r, Math.max(0, 125 - (Date.now() - round))));
    }
    unsubscribe();
    expect(status).toBe('READY');
    const report = `health p50 ${quantile(health, 0.5).toFixed(1)} p99 ${quantile(health, 0.99).toFixed(1)} max ${Math.max(...health).toFixed(1)} ms (${health.length}); ` +
      `inspections p50 ${quantile(inspections, 0.5).toFixed(1)} p99 ${quantile(inspections, 0.99).toFixed(1)} max ${Math.max(...inspections).toFixed(1)} ms (${inspections.length})`;
    console.log(report);
    // Before, the API froze while the worker computed in its process: requests stalled for
    // seconds (21 s in the load test) and keep-alive connections were reset mid-training. The
    // issue's 100 ms at p99 holds on a quiet machine (docs/PERFORMANCE.md); here the bound is 5x
    // that, so that a loaded 2-core CI machine (this test's own worker uses both cores) passes
    // while a frozen API cannot.
    expect(quantile(health, 0.99), report).toBeLessThan(500);
    expect(quantile(inspections, 0.99), report).toBeLessThan(500);
    expect(Math.max(...health, ...inspections), report).toBeLessThan(2000);
    // The phases after the last GAN step reported themselves over the same event path.
    const phases = [...new Set(seen.filter((e) => e.kind === 'training.phase').map((e) => e.phase))];
    expect(phases).toEqual(['encoder', 'feature-density', 'local-feature-density', 'calibration', 'generator-check']);
    expect(seen.at(-1)?.kind).toBe('training.completed');
  });

  it('stops within 10 s on SIGTERM while a model trains, with subscribers (one silent) and a keep-alive connection open', async () => {
    const { runId } = await startTraining({ steps: 100_000, batchSize: 16, encoderSteps: 0 });
    let unsubscribe = () => undefined as void;
    await new Promise<void>((resolve) => {
      unsubscribe = client.subscribe(TrainingProgressDocument, { runId }, { next: ({ trainingProgress: e }) => e.kind === 'training.progress' && resolve(), error: () => undefined });
    });
    // An open subscription of our own client stays open through the stop (then cut with 1001).
    await client.close();
    const listening = createGansightClient({ url: apiUrl, apiKey: key });
    listening.subscribe(TrainingProgressDocument, { runId }, { next: () => undefined, error: () => undefined });
    unsubscribe();
    // A subscriber that stops reading (a frozen tab, a dead network): it never answers our close frame.
    const silent = new WebSocket(apiUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise<void>((resolve, reject) => {
      silent.once('open', () => silent.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } })));
      silent.on('message', (m) => {
        if (JSON.parse(m.toString()).type !== 'connection_ack') return;
        silent.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription { trainingProgress(runId: "${runId}") { kind } }` } }));
        setTimeout(() => {
          (silent as unknown as { _socket: { pause(): void } })._socket.pause();
          resolve();
        }, 300);
      });
      silent.once('error', reject);
    });
    // A keep-alive connection, idle after its request.
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      const req = http.request(apiUrl, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` } }, (res) => {
        res.resume();
        res.once('end', () => resolve());
      });
      req.once('error', reject);
      req.end(JSON.stringify({ query: HEALTH_QUERY }));
    });
    const workerPid = Number([...stack.output().matchAll(/(?:worker process|\[worker\] restarted \(pid) (\d+)/g)].at(-1)![1]);
    const dbPid = await postmasterPid();

    const signalledAt = Date.now();
    stack.child.kill('SIGTERM');
    const exit = await Promise.race([stack.exited, new Promise<null>((r) => setTimeout(() => r(null), 20_000))]);
    expect(exit, stack.output().slice(-3000)).not.toBeNull();
    expect(exit!.at - signalledAt, stack.output().slice(-3000)).toBeLessThan(10_000);
    expect(exit!.code, stack.output().slice(-3000)).toBe(0);
    expect(stack.output()).toMatch(/SIGTERM received, stopping…[\s\S]*stopped cleanly/);
    // The training checkpointed and went back to the queue; nothing is left running.
    expect(stack.output()).toMatch(/\[worker\] drained, exiting/);
    expect(alive(workerPid)).toBe(false);
    expect(alive(dbPid)).toBe(false);
    silent.terminate();
    agent.destroy();
    await listening.close().catch(() => undefined); // its server is gone: reconnecting fails
    drainedRunId = runId;
  });

  it('on Ctrl-C in a terminal (SIGINT to the whole process group) drains the training into a database that is still up', async () => {
    // Started again, as a terminal runs it: the run drained above resumes from its checkpoint.
    stack = spawnGansight(env, { detached: true });
    await stack.waitForLine(/Gansight is running/);
    client = createGansightClient({ url: apiUrl, apiKey: key });
    let unsubscribe = () => undefined as void;
    const resumed = await new Promise<{ fromStep: number }>((resolve) => {
      unsubscribe = client.subscribe(TrainingProgressDocument, { runId: drainedRunId }, {
        next: ({ trainingProgress: e }) => e.kind === 'training.started' && resolve(e.data as { fromStep: number }),
        error: () => undefined,
      });
    });
    unsubscribe();
    await client.close();
    expect(resumed.fromStep).toBeGreaterThan(0);
    await stack.waitForLine(/\[worker\] .*ready on/);
    await new Promise((r) => setTimeout(r, 2000)); // a few steps in

    const signalledAt = Date.now();
    process.kill(-stack.child.pid!, 'SIGINT'); // what the terminal does on Ctrl-C
    const exit = await Promise.race([stack.exited, new Promise<null>((r) => setTimeout(() => r(null), 20_000))]);
    expect(exit, stack.output().slice(-3000)).not.toBeNull();
    expect(exit!.at - signalledAt).toBeLessThan(10_000);
    expect(exit!.code, stack.output().slice(-3000)).toBe(0);
    // The database was not shut down under the draining worker by the same Ctrl-C.
    expect(stack.output()).not.toMatch(/terminating connection due to administrator command/);
    expect(stack.output()).toMatch(/\[worker\] drained, exiting[\s\S]*stopped cleanly/);
  });
});
