import type { TaskList } from 'graphile-worker';
import { inspectionTask } from '../inspection/inspection-job';
import { createModelCache } from '../inspection/model-cache';
import { trainingTask } from '../training/training-job';
import type { WorkerContext } from '../worker-context';
import { TASK } from './job-specs';

/** The job handlers this worker runs, by task name (evaluation: not yet). */
export function workerTasks(ctx: WorkerContext): TaskList {
  return {
    [TASK.train]: trainingTask(ctx),
    [TASK.inspect]: inspectionTask(ctx, createModelCache(ctx.blobs)),
  };
}
