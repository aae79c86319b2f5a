import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BlobListEntry } from './blob-store';

/** Suffix of blob files; it holds "@", which no key part may, so a blob never shares a name with a directory. */
export const BLOB_SUFFIX = '@blob';
/** Suffix of the sidecar holding content type, size and sha256. */
export const META_SUFFIX = '@meta';

/**
 * Yields every blob under objectsDir whose key starts with prefix, in the same byte order S3
 * lists keys. Reads one directory at a time, so memory grows with the widest directory, not
 * with the number of blobs.
 */
export async function* listFsBlobs(objectsDir: string, prefix: string): AsyncGenerator<BlobListEntry> {
  const slash = prefix.lastIndexOf('/');
  const dirKey = prefix.slice(0, slash);
  yield* walk(path.join(objectsDir, ...dirKey.split('/')), `${dirKey}/`, prefix.slice(slash + 1));
}

async function* walk(dir: string, keyPrefix: string, partial: string): AsyncGenerator<BlobListEntry> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err)) return;
    throw err;
  }
  // Sort "name/" for directories against "name" for blobs: that is exactly how the full keys compare.
  const items: { sortKey: string; name: string; isDir: boolean }[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() && entry.name.startsWith(partial)) {
      items.push({ sortKey: `${entry.name}/`, name: entry.name, isDir: true });
    } else if (entry.isFile() && entry.name.endsWith(BLOB_SUFFIX)) {
      const name = entry.name.slice(0, -BLOB_SUFFIX.length);
      if (name.startsWith(partial)) items.push({ sortKey: name, name, isDir: false });
    }
  }
  items.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  for (const item of items) {
    if (item.isDir) {
      yield* walk(path.join(dir, item.name), `${keyPrefix}${item.name}/`, '');
      continue;
    }
    try {
      const s = await stat(path.join(dir, item.name + BLOB_SUFFIX));
      yield { key: keyPrefix + item.name, size: s.size, lastModified: s.mtime };
    } catch (err) {
      // Deleted between readdir and stat: it is simply no longer there.
      if (!isMissing(err)) throw err;
    }
  }
}

/** True for the errno codes that mean "no such file" on a path we built ourselves. */
export function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
