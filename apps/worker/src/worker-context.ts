import type { Db } from '@gansight/db';
import type { EventPublisher } from '@gansight/events';
import type { BlobStore } from '@gansight/storage';

/** What every job handler of one worker process shares. */
export interface WorkerContext {
  db: Db;
  blobs: BlobStore;
  events: EventPublisher;
  log: (line: string) => void;
  /** Our WorkerNode id, recorded on the rows we work on. */
  workerNodeId: string;
  /** Jobs this process runs at once (also the most inspections inverted as one batch). */
  concurrency: number;
  /** Longest an inspection's image waits for others of its model to share an inversion (ms; 0: none). */
  batchWindowMs: number;
  /** Every how many inversion iterations an inspection stores a reconstruction preview (0: never). */
  previewEvery: number;
  /** ML backend kind, recorded on the models we train. */
  backend: string;
  /**
   * Aborted once the process is asked to stop (drain): training checkpoints the step it is on
   * and hands the run back to the queue; other jobs finish.
   */
  drain: AbortSignal;
  timing: JobTiming;
}

export interface JobTiming {
  /** Least time between two progress events (and TrainingRun row updates) of one job. */
  progressIntervalMs: number;
  /** How often a running job re-reads its row to notice a cancellation. */
  cancelPollMs: number;
}

export const DEFAULT_TIMING: JobTiming = { progressIntervalMs: 1000, cancelPollMs: 500 };
