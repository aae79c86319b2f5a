// Test helpers for suites outside the CLI (test/): `gansight` run as a child process.
export { spawnGansight, type StackProcess } from './stack-process';
