import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { withDatabase } from '../connection-url';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '../embedded/embedded-postgres';
import { migrateDatabase } from '../migrations/migrate-database';
import { ensureDatabase } from '../open-database';

/** Environment variable through which the vitest global setup hands its server to test files. */
export const TEST_SERVER_ENV = 'GANSIGHT_TEST_PG_URL';
export const TEMPLATE_DATABASE = 'gansight_template';

// Durability buys nothing for throw-away test data and costs most of the run time.
const FAST_FLAGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];

export interface TestServer {
  /** Superuser URL of the server's maintenance database. */
  url: string;
  stop(): Promise<void>;
}

/** A throw-away embedded server with a migrated template database. */
export async function startTestServer(): Promise<TestServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gansight-test-pg-'));
  // The server may run as the postgres user (when we are root); it must reach the data dir.
  await chmod(dir, 0o755);
  let server: EmbeddedPostgresServer;
  try {
    server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port: 0, serverFlags: FAST_FLAGS });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  try {
    await prepareTemplate(server.url);
  } catch (err) {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: server.url,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** (Re)creates the migrated template that test databases are copied from. */
export async function prepareTemplate(serverUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  await ensureDatabase(serverUrl, TEMPLATE_DATABASE);
  await migrateDatabase(withDatabase(serverUrl, TEMPLATE_DATABASE));
}
