import type { TaskList } from 'graphile-worker';
import { trainingTask } from '../training/training-job';
import type { WorkerContext } from '../worker-context';
import { TASK } from './job-specs';

/** The job handlers this worker runs, by task name (inspection and evaluation: issue 5, not yet). */
export function workerTasks(ctx: WorkerContext): TaskList {
  return {
    [TASK.train]: trainingTask(ctx),
  };
}
