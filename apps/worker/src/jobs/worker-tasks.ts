import type { TaskList } from 'graphile-worker';
import { evaluationTask } from '../evaluation/evaluation-job';
import { inspectionTask } from '../inspection/inspection-job';
import { createInversionBatcher } from '../inspection/inversion-batcher';
import { createModelCache } from '../inspection/model-cache';
import { lotTask } from '../lots/lot-job';
import { interpolationTask } from '../interpolation/interpolation-job';
import { trainingTask } from '../training/training-job';
import type { WorkerContext } from '../worker-context';
import { TASK } from '@gansight/contracts';
import { scoreImages } from '../inspection/score-image';
import type { WorkerMetrics } from '../observability/worker-metrics';
import { RETENTION_TASK, retentionTask } from '../retention/retention-task';

/** The job handlers this worker runs, by task name (retention: retention/retention-task.ts). Inspections, evaluations and lot measurements share one model cache. */
export function workerTasks(ctx: WorkerContext, metrics?: Pick<WorkerMetrics, 'inversion'>): TaskList {
  const models = createModelCache(ctx.blobs);
  // Every inspection batch's inversion, timed for gansight_images_per_second and iterations/s.
  const score: typeof scoreImages = async (model, images, onProgress, watch) => {
    const started = performance.now();
    const scores = await scoreImages(model, images, onProgress, watch);
    metrics?.inversion(images.length, model.calibration?.scoring.iterations ?? 0, (performance.now() - started) / 1000);
    return scores;
  };
  return {
    [TASK.train]: trainingTask(ctx),
    // At most as many images per inversion as this worker runs jobs at once.
    [TASK.inspect]: inspectionTask(ctx, models, createInversionBatcher({ maxBatch: ctx.concurrency, windowMs: ctx.batchWindowMs, previewEvery: ctx.previewEvery, log: ctx.log, score })),
    [TASK.evaluate]: evaluationTask(ctx, models),
    [TASK.lot]: lotTask(ctx, models),
    [RETENTION_TASK]: retentionTask(ctx),
    [TASK.interpolate]: interpolationTask(ctx, models),
  };
}
