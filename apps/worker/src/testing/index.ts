// Test helpers for suites outside the worker (test/): a database with a job queue, worker
// processes started from main.ts, and tiny products and models trained on them.
export { createWorkerStack, trainReadyModel, type WorkerStack } from './worker-stack';
export { addQualifiedImage, queueTinyTraining, seedProduct, waitFor, type WorkerFixture, type WorkerProcess } from './worker-fixture';
