import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../open-database';
import { bootstrapFactory, getFactory } from '../repositories/factories';
import { withDatabase } from '../connection-url';
import { startEmbeddedPostgres } from './embedded-postgres';

const here = path.dirname(fileURLToPath(import.meta.url));

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const bootstrapInput = (slug: string) => ({
  name: `Factory ${slug}`,
  slug,
  admin: { email: `${slug}@example.com`, passwordHash: 'hash' },
  apiKey: { name: 'line', prefix: `gk_${slug}`, secretHash: 'secret-hash', scopes: ['inspect'] },
});

describe('embedded PostgreSQL', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'gansight-embedded-'));
    await chmod(tmp, 0o755);
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('without a URL starts the embedded server, migrates, and keeps the data across restarts', async () => {
    const settings = { url: undefined, embeddedPort: 0, embeddedDir: path.join(tmp, 'persist') };
    const first = await openDatabase(settings);
    expect(first.embedded?.dataDir).toBe(settings.embeddedDir);
    expect(first.migrations.applied.length).toBeGreaterThan(0);
    const { factoryId } = await bootstrapFactory(first.db, bootstrapInput('persisted'));
    const initialisedAt = (await stat(path.join(settings.embeddedDir, 'PG_VERSION'))).mtimeMs;
    await first.close();
    expect(await canConnect(first.url)).toBe(false); // stopped for real

    const second = await openDatabase(settings);
    try {
      expect(second.migrations.applied).toEqual([]); // nothing new to apply
      expect((await getFactory(second.db, factoryId)).slug).toBe('persisted');
      // initdb ran only the first time
      expect((await stat(path.join(settings.embeddedDir, 'PG_VERSION'))).mtimeMs).toBe(initialisedAt);
    } finally {
      await second.close();
    }
  });

  it('listens on the requested port when one is given', async () => {
    const probe = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'fixed'), port: 0 });
    const port = probe.port;
    await probe.stop();
    const server = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'fixed'), port });
    try {
      expect(server.port).toBe(port);
      expect(server.url).toContain(`:${port}/`);
      expect(await canConnect(server.url)).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('starts over a stale postmaster.pid whose process is long gone or is not PostgreSQL', async () => {
    const dataDir = path.join(tmp, 'stale');
    await (await startEmbeddedPostgres({ dataDir, port: 0 })).stop();
    const pidFile = path.join(dataDir, 'postmaster.pid');
    // This test process's own pid: alive, but not a postmaster (as after a reboot reused it).
    await writeFile(pidFile, `${process.pid}\n${dataDir}\n1700000000\n5432\n\n127.0.0.1\n  1234   5678\nready\n`);
    const server = await startEmbeddedPostgres({ dataDir, port: 0 });
    try {
      expect(await canConnect(server.url)).toBe(true);
      expect((await readFile(pidFile, 'utf8')).split('\n')[0]).not.toBe(String(process.pid));
    } finally {
      await server.stop();
    }
  });

  it('recovers after the owning process was killed and left its server running', async () => {
    const dataDir = path.join(tmp, 'crash');
    const tsx = path.resolve(here, '../../../../node_modules/.bin/tsx');
    const run = await promisify(execFile)(tsx, [path.join(here, 'fixtures/start-and-crash.ts'), dataDir]).catch(
      (e: { stdout: string }) => e,
    );
    const orphanPort = Number.parseInt(run.stdout, 10);
    expect(orphanPort).toBeGreaterThan(0);
    const server = await startEmbeddedPostgres({ dataDir, port: 0 });
    try {
      expect(await canConnect(server.url)).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('shares the server a running process started on the same data directory', async () => {
    const dataDir = path.join(tmp, 'busy');
    const server = await startEmbeddedPostgres({ dataDir, port: 0 });
    try {
      const second = await startEmbeddedPostgres({ dataDir, port: 0 });
      expect(second).toMatchObject({ owned: false, port: server.port });
      expect(await canConnect(second.url)).toBe(true);
      await second.stop(); // not ours to stop
      expect(await canConnect(server.url)).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('with a URL uses that server and migrates it', async () => {
    // A separate server standing in for an external PostgreSQL.
    const external = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'external'), port: 0 });
    try {
      const admin = new pg.Client({ connectionString: external.url });
      await admin.connect();
      await admin.query('CREATE DATABASE app');
      await admin.end();
      const url = withDatabase(external.url, 'app');
      const opened = await openDatabase({ url, embeddedPort: 0, embeddedDir: path.join(tmp, 'must-not-exist') });
      try {
        expect(opened.url).toBe(url);
        expect(opened.embedded).toBeNull();
        const { factoryId } = await bootstrapFactory(opened.db, bootstrapInput('external'));
        expect((await getFactory(opened.db, factoryId)).name).toBe('Factory external');
        await expect(stat(path.join(tmp, 'must-not-exist'))).rejects.toThrow();
      } finally {
        await opened.close();
      }
      // close() leaves an external server running
      expect(await canConnect(url)).toBe(true);
    } finally {
      await external.stop();
    }
  });

  it('takes over a cluster whose files belong to another uid (a volume from another machine)', async () => {
    if (process.getuid?.() !== 0) return;
    const dataDir = path.join(tmp, 'foreign');
    await (await startEmbeddedPostgres({ dataDir, port: 0 })).stop();
    await promisify(execFile)('chown', ['-R', '4242:4242', dataDir]);
    const server = await startEmbeddedPostgres({ dataDir, port: 0 });
    try {
      expect(await canConnect(server.url)).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('reaches a data folder inside a private folder (a clone under /root), opening exactly the folders in the way for search', async () => {
    // Outside the temp directory: a folder only its owner may enter (as /root is), holding a
    // clone whose .data folder Gansight creates.
    const outsideTmp = (dir: string) => path.relative(os.tmpdir(), dir).startsWith('..');
    const base = [path.resolve(here, '../..'), '/var/tmp'].find((d) => outsideTmp(d) && existsSync(d))!;
    const home = path.join(base, `.gansight-home-${process.pid}`);
    await mkdir(path.join(home, 'clone'), { recursive: true, mode: 0o700 });
    await chmod(home, 0o700);
    await chmod(path.join(home, 'clone'), 0o700);
    const dataDir = path.join(home, 'clone', '.data', 'postgres');
    const notices: string[] = [];
    try {
      const first = await startEmbeddedPostgres({ dataDir, port: 0, onNotice: (l) => notices.push(l) });
      const admin = new pg.Client({ connectionString: first.url });
      await admin.connect();
      await admin.query('CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)');
      await admin.end();
      await first.stop();
      const again = await startEmbeddedPostgres({ dataDir, port: 0 });
      try {
        const check = new pg.Client({ connectionString: again.url });
        await check.connect();
        expect((await check.query('SELECT v FROM kept')).rows).toEqual([{ v: 42 }]); // kept across restarts
        await check.end();
      } finally {
        await again.stop();
      }
      const modes = await Promise.all([home, path.join(home, 'clone'), path.dirname(dataDir)].map(async (d) => (await stat(d)).mode & 0o777));
      if (process.getuid?.() === 0) {
        // The postgres user may enter each folder on the way, and nothing more: no listing, no reading.
        expect(modes).toEqual([0o701, 0o701, 0o701]);
        for (const d of [home, path.join(home, 'clone'), path.dirname(dataDir)]) expect(notices.join('\n')).toContain(`on ${d}, `);
        expect(notices).toHaveLength(3); // and only those: the second start found nothing to do
      } else {
        expect(modes).toEqual([0o700, 0o700, 0o700]); // a normal user's server runs as that user
      }
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('never stops a server that a live process uses, whatever that process is called', async () => {
    const dataDir = path.join(tmp, 'in-use');
    // A running stack whose process is not called "node" (a process manager, PID 1 in a container).
    const owner = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures/start-and-hold.ts'), dataDir], {
      argv0: 'gansight', cwd: path.resolve(here, '../../../..'), stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        owner.stdout!.once('data', (d: Buffer) => resolve(Number.parseInt(d.toString(), 10)));
        owner.once('exit', (code) => reject(new Error(`fixture exited with ${code}`)));
      });
      const pidBefore = (await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0];
      // A second `gansight start` on the same folder: refused with a message, nothing stopped.
      await expect(startEmbeddedPostgres({ dataDir, port: 0, refuseShared: true })).rejects.toMatchObject({
        code: 'EMBEDDED_PG_DATA_DIR_IN_USE',
        message: expect.stringMatching(/is in use: its PostgreSQL \(pid \d+, port \d+\) was started by pid \d+ \(gansight /),
      });
      // A command beside it (factory create) joins it.
      const joined = await startEmbeddedPostgres({ dataDir, port: 0 });
      expect(joined).toMatchObject({ owned: false, port });
      await joined.stop();
      const url = joined.url;
      expect(await canConnect(url)).toBe(true);
      expect((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]).toBe(pidBefore);
    } finally {
      if (owner.exitCode === null && owner.signalCode === null) {
        owner.kill('SIGTERM');
        await new Promise((r) => owner.once('exit', r));
      }
    }
  });

  it('keeps an orphaned server running while a client still uses it', async () => {
    const dataDir = path.join(tmp, 'orphan-in-use');
    const tsx = path.resolve(here, '../../../../node_modules/.bin/tsx');
    // Its starter killed (kill -9 of npm start), the server lives on, re-parented to init.
    const run = await promisify(execFile)(tsx, [path.join(here, 'fixtures/start-and-crash.ts'), dataDir]).catch((e: { stdout: string }) => e);
    const port = Number.parseInt(run.stdout, 10);
    const credentials = JSON.parse(await readFile(path.join(dataDir, 'gansight-credentials.json'), 'utf8')) as { user: string; password: string };
    const url = `postgresql://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`;
    // ... but something still uses it (say a worker process of the dead stack, still draining).
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const pid = Number.parseInt((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]!, 10);
    try {
      const shared = await startEmbeddedPostgres({ dataDir, port: 0 });
      expect(shared).toMatchObject({ owned: false, port });
      expect((await client.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]); // still served
    } finally {
      await client.end().catch(() => undefined);
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // already gone
      }
      for (let i = 0; i < 100 && (await canConnect(url)); i++) await new Promise((r) => setTimeout(r, 100));
    }
  });

  it('can use a private (0700) temp directory, as tests create them', async () => {
    const priv = await mkdtemp(path.join(os.tmpdir(), 'gansight-private-'));
    try {
      const server = await startEmbeddedPostgres({ dataDir: path.join(priv, 'pg'), port: 0 });
      expect(await canConnect(server.url)).toBe(true);
      await server.stop();
    } finally {
      await rm(priv, { recursive: true, force: true });
    }
  });
});
