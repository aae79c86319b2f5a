// vitest globalSetup for the slow project: one empty folder per run where the first test file
// that needs a synthetic model trains it and leaves it for the others (shared-synthetic-inspection.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SYNTHETIC_CACHE_ENV } from './shared-synthetic-inspection';

export default async function setup(): Promise<() => Promise<void>> {
  if (process.env[SYNTHETIC_CACHE_ENV]) return async () => undefined;
  const dir = await mkdtemp(path.join(tmpdir(), 'gansight-synthetic-'));
  process.env[SYNTHETIC_CACHE_ENV] = dir;
  return async () => {
    delete process.env[SYNTHETIC_CACHE_ENV];
    await rm(dir, { recursive: true, force: true });
  };
}
