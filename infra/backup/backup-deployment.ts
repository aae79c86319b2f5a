// A whole deployment to a folder: the database with pg_dump (one consistent snapshot), then
// every factory's blobs through the configured BlobStore (filesystem or S3 alike).
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import pg from 'pg';
import type { BlobStore } from '@gansight/storage';
import { BackupError } from './backup-error';
import {
  BACKUP_FORMAT, BLOB_DIR, BLOB_LIST_FILE, DUMP_FILE, MANIFEST_FILE, fileDigest,
  type BackupManifest, type BlobEntry,
} from './backup-format';
import { major, pgToolPath, pgToolVersion, runPgTool, serverVersion } from './postgres-tools';

export interface BackupOptions {
  databaseUrl: string;
  blobs: BlobStore;
  /** An empty or missing folder. */
  outDir: string;
  /** Directory of pg_dump; PATH when unset. */
  pgBin?: string;
}

/**
 * Writes a backup folder (layout in backup-format.ts) and returns its manifest. Blobs written
 * after the snapshot may be included (unreferenced, harmless); take backups while retention and
 * deletions are quiet, or a row of the snapshot may miss a blob deleted meanwhile.
 */
export async function backupDeployment(o: BackupOptions): Promise<BackupManifest> {
  await mkdir(o.outDir, { recursive: true });
  if ((await readdir(o.outDir)).length > 0) throw new BackupError('BAD_USAGE', `${o.outDir} is not empty: back up into a new folder`);
  const pgDump = pgToolPath('pg_dump', o.pgBin);
  const [server, dumpVersion] = await Promise.all([serverVersion(o.databaseUrl), pgToolVersion(pgDump)]);
  // pg_dump refuses servers newer than itself; say so before it does, with the fix.
  if (major(dumpVersion) < major(server)) {
    throw new BackupError(
      'PG_DUMP_TOO_OLD',
      `pg_dump ${dumpVersion} cannot dump PostgreSQL ${server}: use pg_dump ${major(server)} or newer (--pg-bin, or the postgres:${major(server)} image)`,
    );
  }

  const dumpFile = path.join(o.outDir, DUMP_FILE);
  await runPgTool(pgDump, ['--format=custom', '--no-owner', '--no-privileges', '--file', dumpFile], o.databaseUrl);
  const dump = await fileDigest(dumpFile);

  const { factoryIds, lastMigration } = await readDeployment(o.databaseUrl);
  const entries: BlobEntry[] = [];
  for (const factoryId of factoryIds) {
    for await (const item of o.blobs.list(`factories/${factoryId}/`)) {
      entries.push(await copyBlob(o.blobs, item.key, path.join(o.outDir, BLOB_DIR)));
    }
  }
  await writeFile(path.join(o.outDir, BLOB_LIST_FILE), entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length ? '\n' : ''));

  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    createdAt: new Date().toISOString(),
    database: { file: DUMP_FILE, ...dump, serverVersion: server, pgDumpVersion: dumpVersion, lastMigration },
    blobs: { list: BLOB_LIST_FILE, count: entries.length, bytes: entries.reduce((n, e) => n + e.size, 0) },
  };
  await writeFile(path.join(o.outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function readDeployment(databaseUrl: string): Promise<{ factoryIds: string[]; lastMigration: string | null }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const factories = await client.query<{ id: string }>('SELECT id FROM "Factory" ORDER BY id');
    const migration = await client.query<{ name: string }>(
      'SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name DESC LIMIT 1',
    );
    return { factoryIds: factories.rows.map((r) => r.id), lastMigration: migration.rows[0]?.name ?? null };
  } finally {
    await client.end();
  }
}

async function copyBlob(blobs: BlobStore, key: string, root: string): Promise<BlobEntry> {
  const stat = await blobs.stat(key);
  const file = path.join(root, ...key.split('/'));
  await mkdir(path.dirname(file), { recursive: true });
  const hash = createHash('sha256');
  let size = 0;
  const digest = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(await blobs.stream(key), digest, createWriteStream(file));
  return { key, size, sha256: hash.digest('hex'), contentType: stat.contentType };
}
