// What the worker benchmarks share: production timings for the workers they start, and the
// model every inspection is timed with: size 64, nf 32, zdim 100, trained 4 steps by a worker.
import { createModel, createTrainingRun } from '@gansight/db';
import { seedProduct, type WorkerProcess } from '../src/testing/worker-fixture';
import { trainReadyModel, type WorkerStack } from '../src/testing/worker-stack';

/** Production timings, not the tests' fast ones. */
export const PRODUCTION_TIMINGS = {
  WORKER_HEARTBEAT_MS: '10000', WORKER_STALE_AFTER_MS: '60000', WORKER_POLL_INTERVAL_MS: '1000', WORKER_PROGRESS_INTERVAL_MS: '1000', WORKER_CANCEL_POLL_MS: '500',
};

/**
 * Seeds a 64-px product and trains the benchmark model on a new worker (production timings);
 * `hyperParameters` adds to the model's. The worker that trained it keeps running.
 */
export async function trainBenchModel(
  s: WorkerStack,
  hyperParameters: Record<string, unknown> = {},
): Promise<{ productId: string; modelId: string; trainer: WorkerProcess }> {
  const { productId } = await seedProduct(s.f, { train: 10, validation: 8, size: 64 });
  const model = await createModel(s.f.db, s.f.factoryId, { productId, hyperParameters: {
    batchSize: 8, nf: 32, latentDim: 100, seed: 1, encoderSteps: 0, checkpointEvery: 100, sampleEvery: 100, ...hyperParameters,
  } });
  const run = await createTrainingRun(s.f.db, s.f.factoryId, { modelId: model.id, totalSteps: 4 });
  const trainer = await s.startWorker(PRODUCTION_TIMINGS);
  await trainReadyModel(s, { modelId: model.id, runId: run.id }, 900_000);
  return { productId, modelId: model.id, trainer };
}
