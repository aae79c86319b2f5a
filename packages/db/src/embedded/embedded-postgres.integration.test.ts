import { execFile } from 'node:child_process';
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

  it('explains an unreachable data directory outside the temp directory', async () => {
    if (process.getuid?.() !== 0) return; // only root hands the cluster to the postgres user
    // Must lie outside the temp directory, where private directories are opened up on purpose.
    const outsideTmp = (dir: string) => path.relative(os.tmpdir(), dir).startsWith('..');
    const base = [path.resolve(here, '../..'), '/var/tmp'].find((d) => outsideTmp(d) && existsSync(d));
    if (!base) return;
    const locked = path.join(base, `.gansight-locked-${process.pid}`);
    await mkdir(locked, { mode: 0o700 });
    try {
      await expect(startEmbeddedPostgres({ dataDir: path.join(locked, 'pg'), port: 0 })).rejects.toMatchObject({
        code: 'EMBEDDED_PG_DATA_DIR',
        message: expect.stringContaining(`chmod o+x ${locked}`),
      });
      expect((await stat(locked)).mode & 0o777).toBe(0o700); // not loosened behind our back
    } finally {
      await rm(locked, { recursive: true, force: true });
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
