// The `evaluate` task end to end: a tiny model trained by a worker process on generated
// textures, evaluated on labelled TEST images (two defect types) with the three baselines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvaluation, getEvaluation, getModel, listImages, type Evaluation } from '@gansight/db';
import type { EventSubscriber, GansightEvent } from '@gansight/events';
import type { JobQueue } from '../jobs/job-queue';
import { trainingSetKey, type TrainingSet } from '../training/training-set-artifact';
import { addQualifiedImage, queueTinyTraining, seedProduct, seedTestImages, waitFor, type WorkerFixture } from '../testing/worker-fixture';
import { createWorkerStack, trainReadyModel, type WorkerStack } from '../testing/worker-stack';

let f: WorkerFixture;
let queue: JobQueue;
let subscriber: EventSubscriber;
let modelId: string;
let productId: string;
/** The evaluation of the second test, before any TRAIN image was added. */
let scored: Evaluation | undefined;
let stack: WorkerStack;

beforeAll(async () => {
  stack = await createWorkerStack();
  ({ f, queue, subscriber } = stack);
  ({ productId } = await seedProduct(f, { train: 10, validation: 8 }));
  await stack.startWorker();
  modelId = await trainReadyModel(stack, await queueTinyTraining(f, productId, { steps: 10 }));
});

afterAll(() => stack?.dispose());

async function evaluate() {
  const evaluation = await createEvaluation(f.db, f.factoryId, { modelId });
  const events: GansightEvent[] = [];
  subscriber.subscribe({ factoryId: f.factoryId, id: evaluation.id }, (e) => events.push(e));
  await queue.enqueueEvaluation({ factoryId: f.factoryId, evaluationId: evaluation.id });
  const done = await waitFor(() => getEvaluation(f.db, f.factoryId, evaluation.id), (e) => e.status === 'SUCCEEDED' || e.status === 'FAILED', 180_000, 'evaluation');
  return { done, events };
}

describe('evaluation job', () => {
  it('fails with NO_TEST_IMAGES and stores nothing else when the product has no labelled test images', async () => {
    const { done, events } = await evaluate();
    expect(done.status).toBe('FAILED');
    expect(done.error).toMatch(/^NO_TEST_IMAGES: .*0 QUALIFIED and 0 DEFECTIVE/);
    expect([done.metrics, done.baselines, done.perDefect]).toEqual([null, null, null]);
    await waitFor(async () => events.map((e) => e.kind), (k) => k.includes('evaluation.failed'), 10_000, 'failed event');
    expect(events.find((e) => e.kind === 'evaluation.failed')!.data.code).toBe('NO_TEST_IMAGES');
  });

  it('scores labelled test images, runs GMM, OCSVM and LOF, and stores per-defect results', async () => {
    const types = await seedTestImages(f, productId, { good: 6, defects: { spot: 4, scratch: 4 }, corrupt: 1 });
    const { done, events } = await evaluate();
    expect(done.status, done.error ?? '').toBe('SUCCEEDED');
    expect(done.error).toBeNull();
    scored = done;
    expect(done.completedAt).toBeInstanceOf(Date);

    const metrics = done.metrics as Record<string, any>;
    expect(metrics.counts).toEqual({ qualified: 6, defective: 8, byType: { good: 6, [types.spot!]: 4, [types.scratch!]: 4 } });
    expect(metrics.auroc).toBeGreaterThanOrEqual(0);
    expect(metrics.auroc).toBeLessThanOrEqual(1);
    expect(metrics.truePositives + metrics.falseNegatives).toBe(8);
    expect(metrics.baselineTrainImages).toBe(10);
    expect(metrics.skippedImages).toEqual([expect.objectContaining({ code: 'BAD_IMAGE' })]);

    const baselines = done.baselines as Record<string, { auroc: number; metrics: { truePositives: number } }>;
    expect(Object.keys(baselines).sort()).toEqual(['gmm', 'lof', 'ocsvm']);
    for (const b of Object.values(baselines)) {
      expect(b.auroc).toBeGreaterThanOrEqual(0);
      expect(b.auroc).toBeLessThanOrEqual(1);
    }

    const perDefect = done.perDefect as Record<string, { name: string; count: number; detectionRate: number; auroc: number | null; frechet: number | null; baselines: Record<string, number> }>;
    expect(Object.keys(perDefect).sort()).toEqual(['good', types.scratch!, types.spot!].sort());
    expect(perDefect[types.spot!]).toMatchObject({ name: 'spot', count: 4 });
    expect(perDefect[types.scratch!]).toMatchObject({ name: 'scratch', count: 4 });
    expect(perDefect.good).toMatchObject({ name: 'good', count: 6, auroc: null });
    for (const g of Object.values(perDefect)) {
      expect(g.frechet).toBeGreaterThan(0);
      expect(Object.keys(g.baselines).sort()).toEqual(['gmm', 'lof', 'ocsvm']);
    }

    // Every readable test image's score is kept for the dashboard's threshold what-if, on the
    // threshold's scale: the stored confusion counts follow from them at the stored threshold.
    const scores = done.scores as Array<{ imageId: string; defective: boolean; defectTypeId: string | null; score: number }>;
    expect(scores).toHaveLength(14);
    expect(scores.filter((s) => s.defective).map((s) => s.defectTypeId).sort()).toEqual([...Array(4).fill(types.scratch), ...Array(4).fill(types.spot)].sort());
    expect(scores.filter((s) => s.defective && s.score > metrics.threshold).length).toBe(metrics.truePositives);
    expect(scores.filter((s) => !s.defective && s.score > metrics.threshold).length).toBe(metrics.falsePositives);

    await waitFor(async () => events.map((e) => e.kind), (k) => k.includes('evaluation.completed'), 10_000, 'completed event');
    const kinds = events.map((e) => e.kind);
    expect(kinds[0]).toBe('evaluation.started');
    expect(kinds).toContain('evaluation.progress');
    expect(events.at(-1)!.data).toMatchObject({ modelId, auroc: metrics.auroc });
    expect(events.every((e) => e.factoryId === f.factoryId)).toBe(true);
  });

  it("fits the baselines on the model's own training set, not on TRAIN images added since; an older model falls back and says so", async () => {
    expect(scored, 'the evaluation of the test before').toBeDefined();
    const trainedOn = (await listImages(f.db, f.factoryId, { productId, split: 'TRAIN' }, { limit: 100 })).items.map((i) => i.id).sort();
    const model = await getModel(f.db, f.factoryId, modelId);
    const recorded = JSON.parse((await f.blobs.get(trainingSetKey(model.generatorKey!))).toString()) as TrainingSet;
    expect(recorded.images.map((i) => i.id).sort()).toEqual(trainedOn);

    const added = await addQualifiedImage(f, productId, { split: 'TRAIN', seed: 50 });
    const { done } = await evaluate();
    expect(done.status, done.error ?? '').toBe('SUCCEEDED');
    const metrics = done.metrics as Record<string, any>;
    expect(metrics.baselineTrainImages).toBe(trainedOn.length);
    expect(metrics.baselineTrainSet).toEqual({ source: 'training-set', trainingSetKey: trainingSetKey(model.generatorKey!), skipped: [] });
    expect(recorded.images.map((i) => i.id)).not.toContain(added);
    // Same images, same seeds: the baselines score exactly as before the image was added.
    expect(done.baselines).toEqual(scored!.baselines);

    // A model trained before training sets were recorded has none: the current TRAIN images, said so.
    await f.blobs.delete(trainingSetKey(model.generatorKey!));
    const { done: older } = await evaluate();
    expect(older.status, older.error ?? '').toBe('SUCCEEDED');
    const olderMetrics = older.metrics as Record<string, any>;
    expect(olderMetrics.baselineTrainImages).toBe(trainedOn.length + 1);
    expect(olderMetrics.baselineTrainSet).toMatchObject({ source: 'current-train-images', trainingSetKey: null });
    expect(olderMetrics.baselineTrainSet.note).toMatch(/trained before training sets were recorded.*current QUALIFIED TRAIN images/);
  });

  it('does not evaluate a model of another factory', async () => {
    const evaluation = await createEvaluation(f.db, f.factoryId, { modelId });
    // The payload names the other factory: the row is not found there, and the job is not retried.
    await queue.add('evaluate', { factoryId: f.otherFactoryId, evaluationId: evaluation.id }, { jobKey: `evaluate:foreign:${evaluation.id}` });
    await waitFor(
      () => f.database.db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = 'evaluate:foreign:${evaluation.id}'`),
      (rows) => rows[0]!.n === 0, 60_000, 'foreign job to finish',
    );
    expect((await getEvaluation(f.db, f.factoryId, evaluation.id)).status).toBe('QUEUED');
  });
});
