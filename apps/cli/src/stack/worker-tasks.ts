import type { Config } from '@gansight/config';
import type { Db } from '@gansight/db';
import type { TaskList } from '@gansight/worker';

/**
 * The job handlers a worker runs. The training, inspection and evaluation jobs of issue 5 are
 * registered here once apps/worker provides them; until then the worker runs the queue with
 * no task types, so nothing is taken that could not be done.
 */
export async function workerTasks(_config: Config, _db: Db): Promise<TaskList> {
  return {};
}
