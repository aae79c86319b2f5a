import pg from 'pg';
import { createDbClient, type Db } from './client';
import { withDatabase } from './connection-url';
import { startEmbeddedPostgres } from './embedded/embedded-postgres';
import { migrateDatabase, type MigrateResult } from './migrations/migrate-database';

export interface DatabaseSettings {
  /** External server; when unset an embedded PostgreSQL is started. */
  url?: string | undefined;
  embeddedPort: number;
  embeddedDir: string;
}

export interface OpenDatabaseOptions {
  /** Embedded server log lines (silent by default). */
  onLog?: (line: string) => void;
  onMigration?: (name: string) => void;
  migrationsDir?: string;
  /** Search permissions granted so that the embedded server (as root: the postgres user) reaches its files. */
  onNotice?: (line: string) => void;
  /** Fail (EMBEDDED_PG_DATA_DIR_IN_USE) rather than join an embedded server another live process runs. */
  refuseShared?: boolean;
}

export interface OpenedDatabase {
  url: string;
  db: Db;
  /** Set when the embedded server is used; `owned: false` when another live process runs it. */
  embedded: { dataDir: string; port: number; owned: boolean } | null;
  migrations: MigrateResult;
  /** Disconnects, and stops the embedded server if this call started one. */
  close(): Promise<void>;
}

/** The embedded cluster's application database. */
export const EMBEDDED_DATABASE_NAME = 'gansight';

/**
 * Connects to `settings.url`, or starts the embedded PostgreSQL when it is unset; migrates
 * the database to the latest migration either way.
 */
export async function openDatabase(settings: DatabaseSettings, options: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  let url = settings.url;
  let stopServer: (() => Promise<void>) | undefined;
  let embedded: OpenedDatabase['embedded'] = null;
  if (!url) {
    const server = await startEmbeddedPostgres({
      dataDir: settings.embeddedDir,
      port: settings.embeddedPort,
      onLog: options.onLog,
      onNotice: options.onNotice,
      refuseShared: options.refuseShared,
    });
    stopServer = server.stop;
    embedded = { dataDir: server.dataDir, port: server.port, owned: server.owned };
    try {
      await ensureDatabase(server.url, EMBEDDED_DATABASE_NAME);
    } catch (err) {
      await server.stop();
      throw err;
    }
    url = withDatabase(server.url, EMBEDDED_DATABASE_NAME);
  }
  try {
    const migrations = await migrateDatabase(url, { migrationsDir: options.migrationsDir, onApply: options.onMigration });
    const db = createDbClient(url);
    return {
      url,
      db,
      embedded,
      migrations,
      async close() {
        await db.$disconnect();
        await stopServer?.();
      },
    };
  } catch (err) {
    await stopServer?.();
    throw err;
  }
}

/** CREATE DATABASE unless it exists (`serverUrl` names any database on that server). */
export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err; // another process created it first: fine
      });
    }
  } finally {
    await client.end();
  }
}
