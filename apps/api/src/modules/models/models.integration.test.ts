import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImage, createModel, createTrainingRun, recordEvaluationResult, updateModel, updateTrainingRun } from '@gansight/db';
import type { JobQueue } from '@gansight/contracts';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';
import { pngImage, sha256 } from '../../testing/test-images';

let t: TestApi;
let acme: TestFactory;
let engineer: string;
let productId: string;
const queued: { task: string; payload: object; jobKey?: string }[] = [];
const removed: string[] = [];
let statements: string[] = [];

// A queue that records what the API hands to the worker fleet.
const jobs: JobQueue = {
  add: async (task, payload, options) => void queued.push({ task, payload, jobKey: options?.jobKey }),
  remove: async (jobKey) => void removed.push(jobKey),
};

const START = 'mutation($p: ID!, $h: JSON) { startTraining(productId: $p, preset: FAST, hyperParameters: $h) { model { id version status hyperParameters } run { id status totalSteps } } }';

beforeAll(async () => {
  t = await startTestApi({
    services: { jobs },
    // Every SQL statement the API sends, for the N+1 bound.
    onStatement: (sql) => void statements.push(sql),
  });
  acme = await t.createFactory('Acme Tiles');
  engineer = await t.login(acme.adminEmail);
  const product = await t.gql('mutation { createProduct(input: { name: "Cell", imageSize: 32, channels: 1 }) { id } }', {}, { token: engineer });
  productId = product.json.data!.createProduct.id;
});
afterAll(() => t.stop());

async function addTrainingImages(n: number) {
  for (let i = 0; i < n; i++) {
    await createImage(t.database.db, acme.factoryId, {
      productId, blobKey: `factories/${acme.factoryId}/images/t/${i}.png`, sha256: sha256(Buffer.from(`train ${i}`)),
      width: 32, height: 32, contentType: 'image/png', byteSize: 10, label: 'QUALIFIED', split: 'TRAIN',
    });
  }
}

describe('models and training', () => {
  it('refuses to train without enough qualified training images, or with bad hyper-parameters', async () => {
    const few = await t.gql(START, { p: productId }, { token: engineer });
    expect(errorCode(few)).toBe('BAD_USER_INPUT');
    expect(few.json.errors![0]!.message).toMatch(/at least 8 QUALIFIED/);
    await addTrainingImages(8);
    expect(errorCode(await t.gql(START, { p: productId, h: { steps: -5 } }, { token: engineer }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(START, { p: productId, h: { dropout: 0.5 } }, { token: engineer }))).toBe('BAD_USER_INPUT');
    expect(await t.database.db.model.count()).toBe(0);
    expect(queued).toEqual([]);
  });

  it('queues training of the next version with the tenant id in the job, once at a time', async () => {
    const res = await t.gql(START, { p: productId, h: { steps: 300 } }, { token: engineer });
    const { model, run } = res.json.data!.startTraining;
    expect(model).toMatchObject({ version: 1, status: 'QUEUED', hyperParameters: { steps: 300, batchSize: 32 } });
    expect(run).toMatchObject({ status: 'QUEUED', totalSteps: 300 });
    expect(queued).toEqual([{ task: 'train', payload: { factoryId: acme.factoryId, modelId: model.id, runId: run.id }, jobKey: `train:${run.id}` }]);
    expect(errorCode(await t.gql(START, { p: productId }, { token: engineer }))).toBe('CONFLICT');

    const cancel = 'mutation($r: ID!) { cancelTraining(runId: $r) { status finishedAt } }';
    expect((await t.gql(cancel, { r: run.id }, { token: engineer })).json.data!.cancelTraining.status).toBe('CANCELLED');
    expect(removed).toEqual([`train:${run.id}`]);
    expect(errorCode(await t.gql(cancel, { r: run.id }, { token: engineer }))).toBe('BAD_USER_INPUT');
    const card = await t.gql('query($m: ID!) { model(id: $m) { status trainingRuns { edges { node { status } } } evaluations { edges { node { id } } } } }', { m: model.id }, { token: engineer });
    expect(card.json.data!.model).toEqual({ status: 'CANCELLED', trainingRuns: { edges: [{ node: { status: 'CANCELLED' } }] }, evaluations: { edges: [] } });
  });

  it('activates only READY models and lists versions newest first', async () => {
    const res = await t.gql(START, { p: productId }, { token: engineer });
    const { model, run } = res.json.data!.startTraining;
    expect(model.version).toBe(2);
    const activate = 'mutation($m: ID!) { activateModel(id: $m) { isActive } }';
    expect(errorCode(await t.gql(activate, { m: model.id }, { token: engineer }))).toBe('BAD_USER_INPUT');
    // The worker's side: training finished.
    await updateTrainingRun(t.database.db, acme.factoryId, run.id, { status: 'SUCCEEDED', step: run.totalSteps, losses: [{ step: 1, d: 1.2, g: 0.7 }] });
    await updateModel(t.database.db, acme.factoryId, model.id, { status: 'READY', threshold: 0.42, metrics: { generatorFrechet: 0.03 } });
    expect((await t.gql(activate, { m: model.id }, { token: engineer })).json.data!.activateModel.isActive).toBe(true);
    const list = await t.gql(
      'query($p: ID!) { models(productId: $p) { edges { node { version status isActive threshold metrics trainingRuns { edges { node { losses } } } } } pageInfo { hasNextPage } } }',
      { p: productId },
      { token: engineer },
    );
    expect(list.json.data!.models).toEqual({
      edges: [
        { node: { version: 2, status: 'READY', isActive: true, threshold: 0.42, metrics: { generatorFrechet: 0.03 }, trainingRuns: { edges: [{ node: { losses: [{ step: 1, d: 1.2, g: 0.7 }] } }] } } },
        { node: { version: 1, status: 'CANCELLED', isActive: false, threshold: null, metrics: null, trainingRuns: { edges: [{ node: { losses: [] } }] } } },
      ],
      pageInfo: { hasNextPage: false },
    });
  });

  it('pages model versions newest first with cursors, and refuses bad page sizes, bad cursors and unknown products', async () => {
    const PAGE = 'query($p: ID!, $n: Int, $a: String) { models(productId: $p, first: $n, after: $a) { edges { node { version } cursor } pageInfo { hasNextPage endCursor } } }';
    const first = (await t.gql(PAGE, { p: productId, n: 1 }, { token: engineer })).json.data!.models;
    expect(first.edges.map((e: { node: { version: number } }) => e.node.version)).toEqual([2]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await t.gql(PAGE, { p: productId, n: 1, a: first.pageInfo.endCursor }, { token: engineer })).json.data!.models;
    expect(second.edges.map((e: { node: { version: number } }) => e.node.version)).toEqual([1]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    // Resuming from an edge's own cursor gives the same next page.
    expect((await t.gql(PAGE, { p: productId, n: 5, a: first.edges[0].cursor }, { token: engineer })).json.data!.models.edges).toEqual(second.edges);
    for (const n of [0, -1, 101]) expect(errorCode(await t.gql(PAGE, { p: productId, n }, { token: engineer }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(PAGE, { p: productId, a: 'not-a-cursor' }, { token: engineer }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(PAGE, { p: 'no-such-product' }, { token: engineer }))).toBe('NOT_FOUND');
  });

  it('queues an evaluation of a READY model, one at a time, and shows its stored result on the model card', async () => {
    const [v2, v1] = (await t.gql('query($p: ID!) { models(productId: $p) { edges { node { id status } } } }', { p: productId }, { token: engineer })).json.data!.models.edges.map(
      (e: { node: { id: string; status: string } }) => e.node,
    );
    const START_EVAL = 'mutation($m: ID!) { startEvaluation(modelId: $m) { id modelId status metrics baselines perDefect error } }';
    queued.length = 0;
    const notReady = await t.gql(START_EVAL, { m: v1.id }, { token: engineer });
    expect(errorCode(notReady)).toBe('BAD_USER_INPUT');
    expect(notReady.json.errors![0]!.message).toMatch(/only a READY model/);
    expect(errorCode(await t.gql(START_EVAL, { m: 'no-such-model' }, { token: engineer }))).toBe('NOT_FOUND');
    expect(queued).toEqual([]);

    const started = (await t.gql(START_EVAL, { m: v2.id }, { token: acme.keyToken })).json.data!.startEvaluation;
    expect(started).toMatchObject({ modelId: v2.id, status: 'QUEUED', metrics: null, baselines: null, perDefect: null, error: null });
    expect(queued).toEqual([{ task: 'evaluate', payload: { factoryId: acme.factoryId, evaluationId: started.id }, jobKey: `evaluate:${started.id}` }]);
    expect(errorCode(await t.gql(START_EVAL, { m: v2.id }, { token: engineer }))).toBe('CONFLICT');
    expect(queued).toHaveLength(1);

    // The worker's side: the evaluation finished.
    const baselines = { gmm: { auroc: 0.61 }, ocsvm: { auroc: 0.58 }, lof: { auroc: 0.66 } };
    const perDefect = { good: { name: 'good', count: 6, frechet: 0.4 }, d1: { name: 'crack', count: 4, auroc: 0.9, frechet: 3.2 } };
    await recordEvaluationResult(t.database.db, acme.factoryId, started.id, { status: 'SUCCEEDED', metrics: { auroc: 0.87 }, baselines, perDefect, completedAt: new Date() });
    const card = await t.gql('query($m: ID!) { model(id: $m) { evaluations { edges { node { id status metrics baselines perDefect completedAt } } } } }', { m: v2.id }, { token: engineer });
    expect(card.json.data!.model.evaluations.edges).toEqual([
      { node: { id: started.id, status: 'SUCCEEDED', metrics: { auroc: 0.87 }, baselines, perDefect, completedAt: expect.any(String) } },
    ]);
    // Finished: a new evaluation may start.
    expect((await t.gql(START_EVAL, { m: v2.id }, { token: engineer })).json.data!.startEvaluation.status).toBe('QUEUED');
  });

  it('pages each model card training runs and evaluations, in a bounded number of statements', async () => {
    const [v2, v1] = (await t.gql('query($p: ID!) { models(productId: $p) { edges { node { id } } } }', { p: productId }, { token: engineer })).json.data!.models.edges.map(
      (e: { node: { id: string } }) => e.node.id,
    );
    // A version retrained three more times (resumes, retries): its runs grow.
    for (let i = 0; i < 3; i++) await createTrainingRun(t.database.db, acme.factoryId, { modelId: v2, totalSteps: 100 + i });
    const runsOf = async (modelId: string) =>
      (await t.database.db.trainingRun.findMany({ where: { modelId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] })).map((r) => r.id);
    const all = await runsOf(v2);
    expect(all).toHaveLength(4);

    const CARDS = `query($p: ID!, $n: Int) { models(productId: $p, first: $n) { edges { node { id
      trainingRuns(first: 2) { edges { node { id } } pageInfo { hasNextPage endCursor } }
      evaluations(first: 1) { edges { node { id status } } pageInfo { hasNextPage } } } } } }`;
    // SQL statements reading training runs or evaluations.
    const nested = () => statements.filter((sql) => /"(TrainingRun|Evaluation)"/.test(sql));
    statements = [];
    const cards = (await t.gql(CARDS, { p: productId, n: 2 }, { token: engineer })).json.data!.models.edges.map((e: any) => e.node);
    const twoModels = nested();
    expect(cards.map((c: any) => c.id)).toEqual([v2, v1]);
    expect(cards[0].trainingRuns.edges.map((e: any) => e.node.id)).toEqual(all.slice(0, 2));
    expect(cards[0].trainingRuns.pageInfo.hasNextPage).toBe(true);
    expect(cards[0].evaluations.edges).toEqual([{ node: { id: expect.any(String), status: 'QUEUED' } }]);
    expect(cards[0].evaluations.pageInfo.hasNextPage).toBe(true);
    expect(cards[1].trainingRuns.edges.map((e: any) => e.node.id)).toEqual(await runsOf(v1));
    expect(cards[1].trainingRuns.pageInfo.hasNextPage).toBe(false);
    expect(cards[1].evaluations).toEqual({ edges: [], pageInfo: { hasNextPage: false } });
    // Two statements per nested list (the page's ids per model, then the rows) for one model or
    // for two: no N+1.
    expect(twoModels).toHaveLength(4);
    statements = [];
    await t.gql(CARDS, { p: productId, n: 1 }, { token: engineer });
    expect(nested()).toHaveLength(4);

    const RUNS = 'query($m: ID!, $n: Int, $a: String) { model(id: $m) { trainingRuns(first: $n, after: $a) { edges { node { id } } pageInfo { hasNextPage } } } }';
    const rest = (await t.gql(RUNS, { m: v2, n: 5, a: cards[0].trainingRuns.pageInfo.endCursor }, { token: engineer })).json.data!.model.trainingRuns;
    expect(rest.edges.map((e: any) => e.node.id)).toEqual(all.slice(2));
    expect(rest.pageInfo.hasNextPage).toBe(false);
    for (const n of [0, 101]) expect(errorCode(await t.gql(RUNS, { m: v2, n }, { token: engineer }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(RUNS, { m: v2, a: 'not-a-cursor' }, { token: engineer }))).toBe('BAD_USER_INPUT');
    const EVALS = 'query($m: ID!, $a: String) { model(id: $m) { evaluations(after: $a) { edges { node { id } } } } }';
    expect(errorCode(await t.gql(EVALS, { m: v2, a: Buffer.from('yesterday|x').toString('base64url') }, { token: engineer }))).toBe('BAD_USER_INPUT');
  });

  it("signs a fresh URL for every picture of a model's card, of its own factory only, and for older cards' sample grids", async () => {
    const f = acme.factoryId;
    const grid = `factories/${f}/training-runs/r1/samples/step-0000010.png`;
    const tsne = `factories/${f}/models/m1/pictures/tsne.png`;
    await t.blobs.put(grid, await pngImage(32, 1), { contentType: 'image/png' });
    await t.blobs.put(tsne, await pngImage(40, 2), { contentType: 'image/png' });
    const model = await createModel(t.database.db, f, { productId });
    await updateModel(t.database.db, f, model.id, {
      status: 'CANCELLED',
      metrics: {
        pictures: [
          { kind: 'SAMPLES', step: 10, name: 'samples-step-0000010', key: grid },
          { kind: 'TSNE', step: null, name: 'tsne', key: tsne },
          // Never signed: another factory's blob, and a kind this API does not know yet.
          { kind: 'TSNE', step: null, name: 'foreign', key: 'factories/someone-else/models/m/pictures/tsne.png' },
          { kind: 'HOLOGRAM', step: null, name: 'future', key: tsne },
        ],
      },
    });
    const query = 'query($id: ID!, $k: ModelPictureKind) { model(id: $id) { pictures(kind: $k) { kind step name url } } }';
    const res = await t.gql(query, { id: model.id }, { token: engineer });
    const pictures = res.json.data!.model.pictures as { kind: string; step: number | null; name: string; url: string }[];
    expect(pictures.map((p) => [p.kind, p.step, p.name])).toEqual([['SAMPLES', 10, 'samples-step-0000010'], ['TSNE', null, 'tsne']]);
    for (const [i, p] of pictures.entries()) {
      const served = Buffer.from(await (await fetch(p.url)).arrayBuffer());
      expect(served.equals(await pngImage(i === 0 ? 32 : 40, i + 1))).toBe(true);
    }
    expect((await t.gql(query, { id: model.id, k: 'SAMPLES' }, { token: engineer })).json.data!.model.pictures).toHaveLength(1);

    // A card written before pictures were listed has only its sample grids' keys.
    const older = await createModel(t.database.db, f, { productId });
    await updateModel(t.database.db, f, older.id, { status: 'CANCELLED', metrics: { sampleGrids: [{ step: 10, key: grid }] } });
    const legacy = (await t.gql(query, { id: older.id }, { token: engineer })).json.data!.model.pictures;
    expect(legacy).toEqual([{ kind: 'SAMPLES', step: 10, name: 'samples-step-0000010', url: expect.stringContaining('/blobs/') }]);
    expect((await fetch(legacy[0].url)).status).toBe(200);
  });

  it('queues an inspection job when an inspection is submitted, and again on a replay while still queued', async () => {
    const image = await t.database.db.image.findFirstOrThrow({ where: { factoryId: acme.factoryId } });
    queued.length = 0;
    const submit = 'mutation($i: ID!) { submitInspection(input: { imageId: $i, idempotencyKey: "k-1" }) { inspection { id } } }';
    const id = (await t.gql(submit, { i: image.id }, { token: acme.keyToken })).json.data!.submitInspection.inspection.id;
    await t.gql(submit, { i: image.id }, { token: acme.keyToken });
    expect(queued).toEqual([
      { task: 'inspect', payload: { factoryId: acme.factoryId, inspectionId: id }, jobKey: `inspect:${id}` },
      { task: 'inspect', payload: { factoryId: acme.factoryId, inspectionId: id }, jobKey: `inspect:${id}` },
    ]);
  });
});
