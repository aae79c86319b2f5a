export { startWorker, type WorkerOptions, type RunningWorker } from './start-worker';
export { startConfiguredWorker, type ConfiguredWorkerOptions } from './start-configured-worker';
export { runWorkerProcess, type WorkerProcessOptions, type WorkerDatabase, type WorkerReadyMessage } from './run-worker-process';
export { WORKER_MAIN } from './worker-main-path';
export { createJobQueue, type JobQueue } from './jobs/job-queue';
export { WorkerError, type WorkerErrorCode } from './jobs/job-errors';
export type { JobTiming } from './worker-context';
export type { TaskList } from 'graphile-worker';
export { runRetention, type RetentionDeps, type RetentionOptions, type RetentionTotals } from './retention/run-retention';
