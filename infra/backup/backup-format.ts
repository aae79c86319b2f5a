// The layout of a backup folder, read and written by backup-deployment.ts and
// restore-deployment.ts:
//   manifest.json   what is inside, with checksums; written last, so a folder without it is an
//                   interrupted backup
//   database.dump   pg_dump's custom format (every schema: Gansight's tables, the migration
//                   history, graphile-worker's queue)
//   blobs.ndjson    one line per blob: key, size, sha256, content type
//   blobs/<key>     the blobs' bytes, keys as stored (factories/<factoryId>/...)
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export const BACKUP_FORMAT = 'gansight-backup/1';
export const MANIFEST_FILE = 'manifest.json';
export const DUMP_FILE = 'database.dump';
export const BLOB_LIST_FILE = 'blobs.ndjson';
export const BLOB_DIR = 'blobs';

export interface BlobEntry {
  key: string;
  size: number;
  sha256: string;
  contentType: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  database: { file: string; bytes: number; sha256: string; serverVersion: string; pgDumpVersion: string; lastMigration: string | null };
  blobs: { list: string; count: number; bytes: number };
}

/** Size and hex sha256 of a file, read as a stream. */
export async function fileDigest(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}
