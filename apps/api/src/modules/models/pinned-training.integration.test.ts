// Issue 15: with TRAINING_BACKENDS set (ADR 0060), startTraining pins the run to those worker
// backends and queues it so that only such workers take it; while none is alive the run stays
// QUEUED and the API says what it waits for, from the worker registry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImage, registerWorkerNode } from '@gansight/db';
import type { JobQueue } from '@gansight/contracts';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { sha256 } from '../../testing/test-images';

let t: TestApi;
const queued: { task: string; jobKey?: string; backends?: readonly string[] }[] = [];
// A queue that records what the API hands to the worker fleet (the worker's own queue turns the pin into a task identifier: pinned-training.integration.test.ts there).
const jobs: JobQueue = { add: async (task, _payload, options) => void queued.push({ task, jobKey: options?.jobKey, backends: options?.backends }) };

beforeAll(async () => {
  t = await startTestApi({ services: { jobs, trainingBackends: ['tensorflow-gpu'] } });
});
afterAll(() => t?.stop());

describe('training pinned to worker backends', () => {
  it('stores and queues the pin, and says the run waits for a worker of that backend until one is alive', async () => {
    const acme = await t.createFactory('Acme Tiles');
    const token = await t.login(acme.adminEmail);
    const product = await t.gql('mutation { createProduct(input: { name: "Cell", imageSize: 32, channels: 1 }) { id } }', {}, { token });
    const productId = product.json.data!.createProduct.id as string;
    for (let i = 0; i < 8; i++) {
      await createImage(t.database.db, acme.factoryId, {
        productId, blobKey: `factories/${acme.factoryId}/images/t/${i}.png`, sha256: sha256(Buffer.from(`train ${i}`)),
        width: 32, height: 32, contentType: 'image/png', byteSize: 10, label: 'QUALIFIED', split: 'TRAIN',
      });
    }
    const started = await t.gql(`mutation($p: ID!) { startTraining(productId: $p, preset: FAST) { run { id status backends waitingFor } } }`, { p: productId }, { token });
    const run = started.json.data!.startTraining.run;
    expect(run).toEqual({ id: expect.any(String), status: 'QUEUED', backends: ['tensorflow-gpu'], waitingFor: 'waiting for a worker with backend tensorflow-gpu' });
    expect(queued).toEqual([{ task: 'train', jobKey: `train:${run.id}`, backends: ['tensorflow-gpu'] }]);

    const read = async () => (await t.gql('query($r: ID!) { trainingRun(id: $r) { status waitingFor } }', { r: run.id }, { token })).json.data!.trainingRun;
    // A worker on another backend changes nothing; one on the pinned backend can take it.
    await registerWorkerNode(t.database.db, { host: 'cpu-node', backend: 'wasm', version: 'test' });
    expect(await read()).toEqual({ status: 'QUEUED', waitingFor: 'waiting for a worker with backend tensorflow-gpu' });
    await registerWorkerNode(t.database.db, { host: 'gpu-node', backend: 'tensorflow-gpu', version: 'test' });
    expect(await read()).toEqual({ status: 'QUEUED', waitingFor: null });
  });
});
