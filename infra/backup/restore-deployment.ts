// A backup folder into an empty database and a blob store: the whole backup is verified
// first, then the blobs are written (idempotent), then the database in one transaction, so a
// failure at any point leaves a database that a second attempt can restore into.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BlobStore } from '@gansight/storage';
import { BackupError } from './backup-error';
import { BACKUP_FORMAT, BLOB_DIR, MANIFEST_FILE, fileDigest, type BackupManifest, type BlobEntry } from './backup-format';
import { major, pgToolPath, pgToolVersion, runPgTool, userTables } from './postgres-tools';

export interface RestoreOptions {
  databaseUrl: string;
  blobs: BlobStore;
  fromDir: string;
  /** Directory of pg_restore; PATH when unset. */
  pgBin?: string;
}

/** Restores a backup; refuses a damaged backup or a database that already has tables. */
export async function restoreDeployment(o: RestoreOptions): Promise<BackupManifest> {
  const manifest = await readManifest(o.fromDir);
  const entries = await verifyBackup(o.fromDir, manifest);

  const pgRestore = pgToolPath('pg_restore', o.pgBin);
  const restoreVersion = await pgToolVersion(pgRestore);
  if (major(restoreVersion) < major(manifest.database.pgDumpVersion)) {
    throw new BackupError(
      'PG_RESTORE_TOO_OLD',
      `pg_restore ${restoreVersion} cannot read a dump made by pg_dump ${manifest.database.pgDumpVersion}: use pg_restore ${major(manifest.database.pgDumpVersion)} or newer`,
    );
  }
  const tables = await userTables(o.databaseUrl);
  if (tables.length > 0) {
    throw new BackupError(
      'TARGET_NOT_EMPTY',
      `the target database already has ${tables.length} tables (${tables.slice(0, 3).join(', ')}${tables.length > 3 ? ', ...' : ''}): restore into a new, empty database`,
    );
  }

  await o.blobs.ensureReady();
  for (const entry of entries) {
    await o.blobs.put(entry.key, createReadStream(blobFile(o.fromDir, entry.key)), { contentType: entry.contentType, sha256: entry.sha256 });
  }
  await runPgTool(
    pgRestore,
    ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', path.join(o.fromDir, manifest.database.file)],
    o.databaseUrl,
  );
  return manifest;
}

async function readManifest(dir: string): Promise<BackupManifest> {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8'));
  } catch {
    throw new BackupError('NOT_A_BACKUP', `${dir} has no readable ${MANIFEST_FILE}: not a backup, or one that did not finish`);
  }
  if (manifest.format !== BACKUP_FORMAT) throw new BackupError('NOT_A_BACKUP', `${dir} holds "${String(manifest.format)}", not ${BACKUP_FORMAT}`);
  return manifest;
}

/** Every file's size and sha256 against the manifest and the blob list. */
async function verifyBackup(dir: string, manifest: BackupManifest): Promise<BlobEntry[]> {
  const damaged = (what: string) => new BackupError('BACKUP_DAMAGED', `${what}; nothing was restored`);
  const dump = await fileDigest(path.join(dir, manifest.database.file)).catch(() => undefined);
  if (dump?.sha256 !== manifest.database.sha256) throw damaged(`${manifest.database.file} is missing or does not match its checksum`);
  const list = await readFile(path.join(dir, manifest.blobs.list), 'utf8').catch(() => undefined);
  if (list === undefined) throw damaged(`${manifest.blobs.list} is missing`);
  const entries = list.split('\n').filter(Boolean).map((line) => JSON.parse(line) as BlobEntry);
  if (entries.length !== manifest.blobs.count) throw damaged(`${manifest.blobs.list} lists ${entries.length} blobs, the manifest ${manifest.blobs.count}`);
  for (const entry of entries) {
    const found = await fileDigest(blobFile(dir, entry.key)).catch(() => undefined);
    if (found?.sha256 !== entry.sha256) throw damaged(`blob ${entry.key} is missing or does not match its checksum`);
  }
  return entries;
}

function blobFile(dir: string, key: string): string {
  return path.join(dir, BLOB_DIR, ...key.split('/'));
}
