// The API server both load benchmarks measure, and the options they share: a real server on
// loopback over the bench database, with blob storage on disk so that inspection reads sign
// their reconstruction and residual URLs as deployed (signing is local HMAC work; nothing is
// read from disk), and no API-key rate limit in the way of the load.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '@gansight/db';
import { FsBlobStore } from '@gansight/storage';
import { startApiServer } from '../src/server';

/** parseArgs options of every load benchmark: rows seeded, concurrent clients, seconds measured and warmed up. */
export const LOAD_OPTIONS = {
  rows: { type: 'string', default: '1000000' },
  clients: { type: 'string', default: '200' },
  seconds: { type: 'string', default: '10' },
  warmup: { type: 'string', default: '2' },
} as const;

/** Starts the API on a free loopback port; `stop` also removes its blob folder. */
export async function startBenchApi(db: Db): Promise<{ url: string; stop(): Promise<void> }> {
  const blobRoot = await mkdtemp(path.join(tmpdir(), 'gansight-bench-'));
  const blobs = new FsBlobStore({ root: blobRoot, presignSecret: 'bench-presign-secret-0123456789', presignBaseUrl: 'http://127.0.0.1/blobs' });
  await blobs.ensureReady();
  const api = await startApiServer({
    host: '127.0.0.1', port: 0, introspection: false, apiKeyRateLimit: { capacity: 1e9, refillPerSecond: 1e9 },
    services: { version: 'bench', startedAt: Date.now(), db, healthChecks: {}, blobs },
  });
  return {
    url: api.url,
    async stop() {
      await api.stop();
      await rm(blobRoot, { recursive: true, force: true });
    },
  };
}
