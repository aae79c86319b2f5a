import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { ensureBinaries, findFreePort, isRoot, ownClusterFiles } from './host';
import { startPostgresServer, stopPostgresServer } from './postgres-server-process';
import { ensurePostgresCanReach } from './postgres-user-reach';
import { clearStalePidFile } from './stale-pid-file';
import { loadEmbeddedPostgres } from './load-embedded-postgres';
import { EmbeddedPostgresError } from '../errors';

export interface EmbeddedPostgresOptions {
  /** Cluster directory; created and initialised (initdb) the first time only. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Receives the server's log lines; silent by default. */
  onLog?: (line: string) => void;
  /** Extra `postgres` flags, e.g. ['-c', 'fsync=off'] for throw-away test clusters. */
  serverFlags?: string[];
  /**
   * When another live process already runs a server on this data directory: false (default)
   * joins it (`owned: false`, e.g. `gansight factory create` beside `npm start`); true fails with
   * EMBEDDED_PG_DATA_DIR_IN_USE (a second `gansight start`, which must not stop or be stopped
   * under the first).
   */
  refuseShared?: boolean;
  /** Hears what was done to make the data directory usable (search permissions granted). */
  onNotice?: (line: string) => void;
}

export interface EmbeddedPostgresServer {
  /** Superuser URL of the `postgres` maintenance database. */
  url: string;
  port: number;
  dataDir: string;
  /**
   * False when another live process had already started a server on this data directory and
   * we connected to it instead (e.g. `gansight factory create` while `npm start` runs).
   */
  owned: boolean;
  /** Fast shutdown (SIGINT) of a server we own; resolves when it has exited. No-op otherwise. */
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

// Kept next to the cluster so that a restart finds the password initdb was given.
const CREDENTIALS_FILE = 'gansight-credentials.json';

/** Starts a real PostgreSQL from node_modules with its cluster under `dataDir`. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const dataDir = path.resolve(options.dataDir);
  await ensureBinaries();
  // As root the server runs as the postgres user, which must reach its programs and data (ADR 0027).
  await ensurePostgresCanReach(dataDir, options.onNotice ?? (() => undefined));
  await ownClusterFiles(dataDir);

  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  const credentials: Credentials = initialised
    ? await readCredentials(dataDir)
    : { user: 'postgres', password: randomBytes(18).toString('base64url') };
  const running = initialised ? await clearStalePidFile(dataDir, (port) => countClients(serverUrl(credentials, port))) : null;
  if (running) {
    if (options.refuseShared) {
      throw new EmbeddedPostgresError(
        'EMBEDDED_PG_DATA_DIR_IN_USE',
        `${dataDir} is in use: its PostgreSQL (pid ${running.pid}, port ${running.port}) was started by ${running.owner} and is in use. ` +
          'Stop that gansight first (Ctrl-C there), or give this one another data folder (GANSIGHT_DATA_DIR). Commands such as `gansight factory create` may run beside it.',
      );
    }
    const url = serverUrl(credentials, running.port);
    await waitUntilAccepting(url, dataDir);
    return { url, port: running.port, dataDir, owned: false, stop: async () => undefined };
  }

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const log: string[] = [];
  const onLog = (line: string) => {
    log.push(line);
    if (log.length > 200) log.shift();
    options.onLog?.(line);
  };

  // A port picked by us may be taken by someone else before PostgreSQL binds it; try again then.
  const attempts = options.port === 0 ? 3 : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = options.port === 0 ? await findFreePort() : options.port;
    let server: ChildProcess | undefined;
    // Used for initdb only; the server is started by startPostgresServer.
    const pg = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: credentials.user,
      password: credentials.password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: isRoot(),
      // UTF8 regardless of the host's locale (an unset LANG would give SQL_ASCII).
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      onLog,
      onError: (e) => onLog(String(e instanceof Error ? e.message : e)),
    });
    try {
      if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
        await pg.initialise();
        await writeFile(path.join(dataDir, CREDENTIALS_FILE), JSON.stringify(credentials), { mode: 0o600 });
      }
      server = await startPostgresServer({
        dataDir,
        port,
        // Loopback TCP only: no Unix socket, whose default directory may not exist or be writable.
        flags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', ...(options.serverFlags ?? [])],
        onLog,
      });
      const child = server;
      const url = serverUrl(credentials, port);
      // If the process ends without stop(), still ask the server to shut down (fast mode).
      const onExit = () => child.kill('SIGINT');
      process.on('exit', onExit);
      return {
        url,
        port,
        dataDir,
        owned: true,
        stop: async () => {
          process.removeListener('exit', onExit);
          // Fast shutdown writes a checkpoint first; on a busy disk that may take long, and the
          // stack has 10 s to stop in all. Immediate shutdown is safe: the next start replays WAL.
          await stopPostgresServer(child, 2500);
        },
      };
    } catch (err) {
      lastError = err;
      if (server) await stopPostgresServer(server, 2500).catch(() => undefined);
      if (!existsSync(path.join(dataDir, CREDENTIALS_FILE))) {
        // initdb failed half-way: leave an empty directory so the next start initialises again.
        await rm(dataDir, { recursive: true, force: true });
        await mkdir(dataDir, { recursive: true, mode: 0o700 });
      }
    }
  }
  const detail = lastError instanceof Error ? lastError.message : '';
  throw new EmbeddedPostgresError(
    'EMBEDDED_PG_START_FAILED',
    `Embedded PostgreSQL did not start on ${dataDir}${detail ? `: ${detail}` : ''}\n` +
      `Last server output:\n${log.slice(-20).join('').trim() || '(none)'}`,
    { cause: lastError },
  );
}

function serverUrl(credentials: Credentials, port: number): string {
  return `postgresql://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`;
}

/** Client backends connected to the server at `url`, ours not counted; null when it does not accept connections. */
async function countClients(url: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
    );
    return rows[0]?.n ?? 0;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function waitUntilAccepting(url: string, dataDir: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (err) {
      if (Date.now() > deadline) {
        throw new EmbeddedPostgresError(
          'EMBEDDED_PG_DATA_DIR_IN_USE',
          `Another process runs PostgreSQL on ${dataDir}, but it does not accept connections: ${(err as Error).message}`,
          { cause: err },
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

async function readCredentials(dataDir: string): Promise<Credentials> {
  try {
    const parsed = JSON.parse(await readFile(path.join(dataDir, CREDENTIALS_FILE), 'utf8')) as Credentials;
    if (typeof parsed.user === 'string' && typeof parsed.password === 'string') return parsed;
  } catch {
    // Fall through to the error below, which says what to do.
  }
  throw new EmbeddedPostgresError(
    'EMBEDDED_PG_DATA_DIR',
    `${dataDir} holds a PostgreSQL cluster that Gansight did not create (no readable ${CREDENTIALS_FILE}). ` +
      'Point GANSIGHT_DATA_DIR at another directory, or set DATABASE_URL to use that server.',
  );
}
