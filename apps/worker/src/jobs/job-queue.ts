import { makeWorkerUtils, type TaskSpec, type WorkerUtils } from 'graphile-worker';
import { retryQueueQueriesOnConnectionLoss } from './retry-connection-loss';
import {
  jobKey,
  MAX_ATTEMPTS,
  PRIORITY,
  TASK,
  type EvaluationJob,
  type InspectionJob,
  type JobQueue as QueueContract,
  type LotJob,
  type TaskName,
  type TrainingJob,
  trainingTaskIdentifier,
} from '@gansight/contracts';

/** The queue contract of @gansight/contracts (what the API calls; the key defaults to `<task>:<row id>`), plus what the stack and tests use. */
export interface JobQueue extends QueueContract {
  /** `backends`: the run's pin (TrainingRun.backends); empty or absent: any worker. */
  enqueueTraining(job: TrainingJob, backends?: readonly string[]): Promise<void>;
  enqueueInspection(job: InspectionJob): Promise<void>;
  enqueueEvaluation(job: EvaluationJob): Promise<void>;
  enqueueLot(job: LotJob): Promise<void>;
  /** Drops a job that no worker has started (a running one learns of cancellation from its row). */
  remove(jobKey: string): Promise<void>;
  release(): Promise<void>;
}

const ROW_ID: Record<TaskName, string> = { train: 'runId', inspect: 'inspectionId', evaluate: 'evaluationId', lot: 'lotId', interpolate: 'interpolationId' };
const rowId = (task: TaskName, payload: object): string | undefined => (payload as Record<string, string | undefined>)[ROW_ID[task]];

/** How a job of `task` is queued, by the API and by a worker that queues a row left without one. */
export function jobSpec(task: TaskName, key: string | undefined, maxAttempts?: number): TaskSpec {
  return {
    priority: PRIORITY[task],
    maxAttempts: maxAttempts ?? MAX_ATTEMPTS[task],
    ...(key
      ? {
          jobKey: key,
          // 'replace' would queue a second copy while the first is running (it only replaces
          // unlocked jobs); dedupe keeps exactly one job per row.
          jobKeyMode: 'unsafe_dedupe' as const,
        }
      : {}),
  };
}

/** Enqueues jobs on the graphile-worker queue in `connectionString` (installs its schema if needed). */
export async function createJobQueue(o: {
  connectionString: string;
  /** Attempts per task, where the defaults (MAX_ATTEMPTS) do not fit. */
  maxAttempts?: Partial<Record<TaskName, number>>;
}): Promise<JobQueue> {
  retryQueueQueriesOnConnectionLoss();
  const utils: WorkerUtils = await makeWorkerUtils({ connectionString: o.connectionString });
  // The API may enqueue before any worker has started; the queue schema must exist.
  await utils.migrate();
  const add: JobQueue['add'] = async (task, payload, options = {}) => {
    if (!payload.factoryId) throw new Error(`A "${task}" job needs the factoryId of its tenant.`);
    const id = rowId(task, payload);
    const key = options.jobKey ?? (id ? jobKey(task, id) : undefined);
    // A pinned training run goes under an identifier that only workers on its backends list.
    const identifier = task === TASK.train ? trainingTaskIdentifier(options.backends ?? []) : task;
    await utils.addJob(identifier, payload, jobSpec(task, key, o.maxAttempts?.[task]));
  };
  return {
    add,
    enqueueTraining: (j, backends) => add(TASK.train, { ...j }, { backends }),
    enqueueInspection: (j) => add(TASK.inspect, { ...j }),
    enqueueEvaluation: (j) => add(TASK.evaluate, { ...j }),
    enqueueLot: (j) => add(TASK.lot, { ...j }),
    async remove(key) {
      await utils.withPgClient((client) => client.query('SELECT graphile_worker.remove_job($1)', [key]));
    },
    release: async () => { await utils.release(); },
  };
}
