export { startWorker, type WorkerOptions, type RunningWorker } from './start-worker';
