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
  /** ML backend kind, recorded on the models we train. */
  backend: string;
  /** True once the process was asked to stop: jobs checkpoint and hand their work back. */
  draining(): boolean;
  timing: JobTiming;
}

export interface JobTiming {
  /** Least time between two progress events (and TrainingRun row updates) of one job. */
  progressIntervalMs: number;
  /** How often a running job re-reads its row to notice a cancellation. */
  cancelPollMs: number;
}

export const DEFAULT_TIMING: JobTiming = { progressIntervalMs: 1000, cancelPollMs: 500 };
