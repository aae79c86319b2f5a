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
  /**
   * Queues a job; a pending job with the same key is kept, not duplicated (key: jobKey(task, row id)).
   * `backends` (training only): only workers on one of these ML backends take it (ADR 0060); empty: any.
   */
  add<T extends TaskName>(task: T, payload: JobPayloads[T], options?: { jobKey?: string; backends?: readonly string[] }): Promise<void>;
  /** Drops a job that no worker has started (a running one learns of cancellation from its row's status). */
  remove?(jobKey: string): Promise<void>;
}
