import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@gansight/config';
import { API_KEY_SCOPES, generateApiKey, hashPassword } from '@gansight/contracts';
import { bootstrapFactory } from '@gansight/db';
import { createTestDatabase, type TestDatabase } from '@gansight/db/testing';
import { freePort } from '../stack/free-port';
import { startStack, type RunningStack } from '../stack/start-stack';

export interface StackWithFactory {
  database: TestDatabase;
  /** The stack's data folder (blobs, models); tests may put their own files in it. */
  dir: string;
  stack: RunningStack;
  /** A key of the factory with every scope. */
  apiKey: string;
  /** Stops the stack, drops the database and removes the data folder. */
  stop(): Promise<void>;
}

/**
 * `gansight start` in-process (API and worker on wasm, no dashboard) on a fresh test database,
 * with one factory bootstrapped as `factory create` would: what a line integrator has after setup.
 */
export async function startStackWithFactory(o: { factory: string; adminEmail: string; dirPrefix: string }): Promise<StackWithFactory> {
  const database = await createTestDatabase();
  const dir = await mkdtemp(path.join(os.tmpdir(), o.dirPrefix));
  const config = loadConfig({ DATABASE_URL: database.url, GANSIGHT_DATA_DIR: dir, API_PORT: String(await freePort()), START_WEB: 'false', ML_BACKEND: 'wasm' });
  const stack = await startStack(config, () => undefined);
  const key = generateApiKey();
  await bootstrapFactory(database.db, {
    name: o.factory,
    admin: { email: o.adminEmail, passwordHash: await hashPassword('a long password') },
    apiKey: { name: 'line 1', prefix: key.prefix, secretHash: key.secretHash, scopes: [...API_KEY_SCOPES] },
  });
  return {
    database, dir, stack, apiKey: key.token,
    stop: async () => {
      await stack.stop();
      await database.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
