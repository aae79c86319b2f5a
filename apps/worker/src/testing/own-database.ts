// A PostgreSQL server of a test's own (its own data directory and port), for faults that would
// disturb every other suite on the shared test server: stopping and restarting the database.
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDbClient, ensureDatabase, migrateDatabase, startEmbeddedPostgres, type EmbeddedPostgresServer } from '@gansight/db';
import type { TestDatabase } from '@gansight/db/testing';

export interface OwnDatabase extends TestDatabase {
  /** Fast shutdown of the server: every connection drops. */
  stopServer(): Promise<void>;
  /** Starts it again on the same port and data. */
  startServer(): Promise<void>;
}

const FAST_FLAGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];

export async function startOwnDatabase(): Promise<OwnDatabase> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gansight-own-pg-'));
  await chmod(dir, 0o755); // the server may run as the postgres user (when we are root)
  const dataDir = path.join(dir, 'data');
  let server: EmbeddedPostgresServer | null = await startEmbeddedPostgres({ dataDir, port: 0, serverFlags: FAST_FLAGS });
  const port = server.port;
  await ensureDatabase(server.url, 'gansight');
  const u = new URL(server.url);
  u.pathname = '/gansight';
  const url = u.toString();
  await migrateDatabase(url);
  const db = createDbClient(url, { maxConnections: 5 });
  return {
    url,
    db,
    async stopServer() {
      await server?.stop();
      server = null;
    },
    async startServer() {
      server = await startEmbeddedPostgres({ dataDir, port, serverFlags: FAST_FLAGS });
    },
    async drop() {
      await db.$disconnect().catch(() => undefined);
      await server?.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
