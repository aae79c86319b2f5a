export { startWorker, type WorkerOptions, type RunningWorker } from './start-worker';
export type { TaskList } from 'graphile-worker';
