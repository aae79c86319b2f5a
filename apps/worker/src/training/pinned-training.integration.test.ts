// Issue 15: training can be pinned to worker backends (TRAINING_BACKENDS, ADR 0060); a worker
// takes only the jobs it can run, and a pinned run waits queued, never failed, while no worker of
// its backends is up. The GPU pin (tensorflow-gpu) cannot run here: tfjs-node does not install
// on these machines, so the two backends that run are wasm and the pure-JS cpu one. The run is
// pinned to wasm; a worker on cpu must leave it queued, and a wasm worker then trains it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createLot, getLot, getModel, getTrainingRun, updateLot } from '@gansight/db';
import { createWorkerStack, type WorkerStack } from '../testing/worker-stack';
import { queueTinyTraining, seedProduct, waitFor } from '../testing/worker-fixture';

let stack: WorkerStack;
let productId: string;

beforeAll(async () => {
  stack = await createWorkerStack();
  ({ productId } = await seedProduct(stack.f, { train: 10, validation: 8 }));
});
afterAll(() => stack?.dispose());

async function trainingJobs(runId: string): Promise<{ task_identifier: string; attempts: number; locked_at: Date | null }[]> {
  const client = new pg.Client({ connectionString: stack.f.database.url });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT task_identifier, attempts, locked_at FROM graphile_worker.jobs WHERE key = $1", [`train:${runId}`]);
    return rows;
  } finally {
    await client.end();
  }
}

describe('training pinned to a backend', () => {
  it('waits queued while only a worker of another backend runs, and is trained by the first worker of its backend', async () => {
    const { f, queue } = stack;
    const cpu = await stack.startWorker({ ML_BACKEND: 'cpu' });
    expect(cpu.output()).toMatch(/ready on cpu, .*train pinned to cpu/);
    const job = await queueTinyTraining(f, productId, { steps: 6, checkpointEvery: 6, sampleEvery: 6, backends: ['wasm'] });
    await queue.enqueueTraining({ factoryId: f.factoryId, ...job }, ['wasm']);

    // The cpu worker is polling: it takes a lot measurement queued after the run (a closed lot
    // without inspections settles at once), so it has looked at the queue since the run arrived.
    const lot = await createLot(f.db, f.factoryId, { productId, name: 'sentinel' });
    await updateLot(f.db, f.factoryId, lot.id, { status: 'CLOSED', closedAt: new Date() });
    await queue.enqueueLot({ factoryId: f.factoryId, lotId: lot.id });
    // (A worker that took the run instead is busy training it: the run leaves QUEUED first.)
    const seen = async () => ({ lot: await getLot(f.db, f.factoryId, lot.id), run: await getTrainingRun(f.db, f.factoryId, job.runId) });
    await waitFor(seen, (s) => s.lot.measurementSettledAt !== null || s.run.status !== 'QUEUED', 60_000, `the cpu worker's lot job\n${cpu.output()}`);
    await new Promise((r) => setTimeout(r, 1000)); // five more polls of the cpu worker
    expect(await getTrainingRun(f.db, f.factoryId, job.runId)).toMatchObject({ status: 'QUEUED', backends: ['wasm'], startedAt: null, error: null });
    expect(await trainingJobs(job.runId)).toEqual([{ task_identifier: 'train@wasm', attempts: 0, locked_at: null }]);

    const wasm = await stack.startWorker();
    const run = await waitFor(() => getTrainingRun(f.db, f.factoryId, job.runId), (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED', 180_000, `the pinned run\n${wasm.output()}`);
    expect(run.status, run.error ?? wasm.output()).toBe('SUCCEEDED');
    const wasmNode = await f.db.workerNode.findFirst({ where: { backend: 'wasm' } });
    expect(run.workerId).toBe(wasmNode!.id);
    expect((await getModel(f.db, f.factoryId, job.modelId)).backend).toBe('wasm');
    expect(cpu.output()).not.toContain(job.runId);
  });
});
