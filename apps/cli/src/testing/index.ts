// Test helpers for suites outside the CLI (test/): `gansight` run as a child process.
export { spawnGansight, type StackProcess } from './stack-process';
// `gansight start` in-process with one bootstrapped factory and its API key.
export { startStackWithFactory, type StackWithFactory } from './stack-with-factory';
