import type { EvaluationJob, InspectionJob, InterpolationJob, LotJob, TaskName, TrainingJob } from './job-specs';

/** Each task's payload. */
export interface JobPayloads {
  train: TrainingJob;
  inspect: InspectionJob;
  evaluate: EvaluationJob;
  lot: LotJob;
  interpolate: InterpolationJob;
}

/** How the API hands work to the worker fleet (apps/worker's createJobQueue implements it). */
export interface JobQueue {
  /** Queues a job; a pending job with the same key is kept, not duplicated (key: jobKey(task, row id)). */
  add<T extends TaskName>(task: T, payload: JobPayloads[T], options?: { jobKey?: string }): Promise<void>;
  /** Drops a job that no worker has started (a running one learns of cancellation from its row's status). */
  remove?(jobKey: string): Promise<void>;
}
