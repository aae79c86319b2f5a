// A PostgreSQL server whose pg_dump and pg_restore can dump it: Debian's packaged server and
// client tools (/usr/lib/postgresql/<major>/bin, installed by .ci/run). The embedded server of
// the other tests is newer than any pg_dump Debian ships, and pg_dump refuses newer servers.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '@gansight/cli';

export interface PostgresWithTools {
  /** Directory of initdb, postgres, pg_dump and pg_restore of one major version. */
  binDir: string;
  /** The server's URL for `database`, created empty by createDatabase(). */
  url(database: string): string;
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** The newest /usr/lib/postgresql/<major>/bin holding a server and its dump tools. */
export function findPostgresTools(): string {
  for (const major of [18, 17, 16, 15]) {
    const bin = `/usr/lib/postgresql/${major}/bin`;
    if (['initdb', 'postgres', 'pg_dump', 'pg_restore'].every((t) => existsSync(path.join(bin, t)))) return bin;
  }
  throw new Error('PostgreSQL server and client tools not found under /usr/lib/postgresql: apt-get install postgresql-15 (.ci/run does)');
}

/** initdb a fresh cluster in a temp folder and start it on a loopback port. */
export async function startPostgresWithTools(): Promise<PostgresWithTools> {
  const binDir = findPostgresTools();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gansight-pg-tools-'));
  const dataDir = path.join(dir, 'data');
  // PostgreSQL refuses to run as root: as root, run it as the postgres user, owner of the folder.
  const asUser = process.getuid?.() === 0 ? await postgresUser() : undefined;
  if (asUser) {
    await chown(dir, asUser.uid, asUser.gid);
  }
  await run(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale'], asUser);
  const port = await freePort();
  const server = spawn(
    path.join(binDir, 'postgres'),
    ['-D', dataDir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
    { stdio: ['ignore', 'ignore', 'pipe'], ...asUser },
  );
  let log = '';
  server.stderr!.on('data', (d) => (log = (log + d).slice(-4000)));
  const base = `postgresql://postgres@127.0.0.1:${port}`;
  await waitForConnection(`${base}/postgres`, server, () => log);
  return {
    binDir,
    url: (database) => `${base}/${database}`,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: `${base}/postgres` });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `${base}/${name}`;
    },
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGINT'); // fast shutdown
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const id = (flag: string) => run('id', [flag, 'postgres']).then((out) => Number(out.trim()));
  return { uid: await id('-u'), gid: await id('-g') };
}

function run(command: string, args: string[], as?: { uid: number; gid: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...as });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${out}`))));
  });
}

async function waitForConnection(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`postgres exited (${server.exitCode}): ${log()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within 30 s: ${(err as Error).message}\n${log()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
