import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDbClient, type Db } from '../client';
import { withDatabase } from '../connection-url';
import { startTestServer, TEMPLATE_DATABASE, TEST_SERVER_ENV, type TestServer } from './test-server';

export interface TestDatabase {
  /** URL of this test's own database. */
  url: string;
  db: Db;
  /** Disconnects and drops the database. */
  drop(): Promise<void>;
}

let ownServer: Promise<TestServer> | undefined;

async function serverUrl(): Promise<string> {
  const shared = process.env[TEST_SERVER_ENV];
  if (shared) return shared;
  // Outside the vitest global setup (a script, another runner): one server per process.
  ownServer ??= startTestServer().then((server) => {
    process.once('beforeExit', () => void server.stop());
    return server;
  });
  return (await ownServer).url;
}

/**
 * A fresh, fully migrated database of its own (a copy of the migrated template, so it costs
 * tens of milliseconds). `{ migrated: false }` gives an empty one. Call `drop()` when done.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const template = options.migrated === false ? 'template0' : TEMPLATE_DATABASE;
  const server = await serverUrl();
  const name = `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (err) {
        // Copying a template needs a moment with nobody else connected to it.
        const busy = (err as { code?: string }).code === '55006';
        if (!busy || attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
      }
    }
  } finally {
    await admin.end();
  }
  const url = withDatabase(server, name);
  const db = createDbClient(url, { maxConnections: 5 });
  return {
    url,
    db,
    async drop() {
      await db.$disconnect();
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
