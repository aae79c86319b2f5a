import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { assertListPrefix, parseBlobKey } from './blob-key';
import {
  checkContentType,
  type BlobBody,
  type BlobListEntry,
  type BlobStat,
  type BlobStore,
  type PresignPutOptions,
  type PutOptions,
  type PutResult,
} from './blob-store';
import { asReadable, checkBufferBody, checkSha256, DigestStream, isInMemory, normaliseExpectedSha256 } from './body-digest';
import { BadKeyError, BlobNotFoundError } from './errors';
import { BLOB_SUFFIX, isMissing, listFsBlobs, META_SUFFIX } from './fs-list';
import { presignHandlerUrl } from './handler-presign';

export interface FsBlobStoreOptions {
  /** Directory that holds everything; created by ensureReady. */
  root: string;
  /** Where the blob HTTP handler is mounted, e.g. http://localhost:4000/blobs; needed for presigned URLs. */
  presignBaseUrl?: string;
  /** HMAC secret shared with createBlobHttpHandler; needed for presigned URLs. */
  presignSecret?: string;
}

interface Sidecar {
  contentType: string;
  size: number;
  sha256: string;
}

// Temp files older than this are leftovers of a crash; ensureReady removes them.
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Blobs as files under `<root>/objects/<key>@blob`, with a JSON sidecar `<key>@meta`.
 * Writes go to `<root>/tmp` first and are renamed into place after fsync, so a crash never
 * leaves a half-written blob visible under its key.
 */
export class FsBlobStore implements BlobStore {
  readonly driver = 'fs' as const;
  private readonly objectsDir: string;
  private readonly tmpDir: string;

  constructor(private readonly options: FsBlobStoreOptions) {
    const root = path.resolve(options.root);
    this.objectsDir = path.join(root, 'objects');
    this.tmpDir = path.join(root, 'tmp');
  }

  async ensureReady(): Promise<void> {
    await mkdir(this.objectsDir, { recursive: true });
    await mkdir(this.tmpDir, { recursive: true });
    const now = Date.now();
    for (const name of await readdir(this.tmpDir)) {
      const file = path.join(this.tmpDir, name);
      const s = await stat(file).catch(() => undefined);
      if (s && now - s.mtimeMs > STALE_TEMP_MS) await rm(file, { force: true });
    }
  }

  async close(): Promise<void> {}

  async put(key: string, body: BlobBody, options: PutOptions = {}): Promise<PutResult> {
    const blobPath = this.blobPath(key);
    const contentType = checkContentType(options.contentType);
    const expected = normaliseExpectedSha256(options.sha256);
    // In-memory bodies are checked before a single byte is written.
    if (isInMemory(body)) checkBufferBody(key, body, expected, options.maxBytes);
    await mkdir(this.tmpDir, { recursive: true });
    const tmpBlob = path.join(this.tmpDir, `${randomUUID()}.blob`);
    const tmpMeta = path.join(this.tmpDir, `${randomUUID()}.meta`);
    const digest = new DigestStream(key, options.maxBytes);
    try {
      // Errors of the source (or the size limit) surface in the for-await.
      pipeline(asReadable(body), digest, () => {});
      await writeDurably(tmpBlob, async (fh) => {
        for await (const chunk of digest) await fh.write(chunk as Buffer);
      });
      const sha256 = digest.digest();
      checkSha256(key, expected, sha256);
      const sidecar: Sidecar = { contentType, size: digest.size, sha256 };
      await writeDurably(tmpMeta, (fh) => fh.writeFile(JSON.stringify(sidecar)));
      await mkdir(path.dirname(blobPath), { recursive: true });
      // Sidecar first: if we crash between the renames, the old blob keeps a sidecar whose
      // size no longer matches, and stat() ignores a sidecar that does not match its blob.
      await rename(tmpMeta, blobPath.slice(0, -BLOB_SUFFIX.length) + META_SUFFIX);
      await rename(tmpBlob, blobPath);
      await syncDir(path.dirname(blobPath));
      return { key, size: digest.size, sha256 };
    } finally {
      digest.destroy();
      await rm(tmpBlob, { force: true });
      await rm(tmpMeta, { force: true });
    }
  }

  async get(key: string): Promise<Buffer> {
    return readFile(this.blobPath(key)).catch((err) => this.rethrow(key, err));
  }

  async stream(key: string): Promise<Readable> {
    // Open first so that a missing blob rejects here instead of emitting an error later.
    const fh = await open(this.blobPath(key), 'r').catch((err) => this.rethrow(key, err));
    return fh.createReadStream();
  }

  async stat(key: string): Promise<BlobStat> {
    const blobPath = this.blobPath(key);
    const s = await stat(blobPath).catch((err) => this.rethrow(key, err));
    const sidecar = await readSidecar(blobPath.slice(0, -BLOB_SUFFIX.length) + META_SUFFIX);
    const fresh = sidecar !== undefined && sidecar.size === s.size;
    return {
      size: s.size,
      contentType: fresh ? sidecar.contentType : checkContentType(undefined),
      lastModified: s.mtime,
      ...(fresh ? { sha256: sidecar.sha256, etag: sidecar.sha256 } : {}),
    };
  }

  async exists(key: string): Promise<boolean> {
    try {
      await stat(this.blobPath(key));
      return true;
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const blobPath = this.blobPath(key);
    // Blob first: once it is gone the key is gone, whatever happens to the sidecar.
    await unlink(blobPath).catch((err) => ignoreMissing(err));
    await unlink(blobPath.slice(0, -BLOB_SUFFIX.length) + META_SUFFIX).catch((err) => ignoreMissing(err));
  }

  async *list(prefix: string): AsyncIterable<BlobListEntry> {
    assertListPrefix(prefix);
    yield* listFsBlobs(this.objectsDir, prefix);
  }

  async presignedGetUrl(key: string, expiresInSeconds: number): Promise<string> {
    return presignHandlerUrl(this.options, { method: 'GET', key, seconds: expiresInSeconds });
  }

  async presignedPutUrl(key: string, expiresInSeconds: number, options: PresignPutOptions = {}): Promise<string> {
    return presignHandlerUrl(this.options, { method: 'PUT', key, seconds: expiresInSeconds, ...options });
  }

  /** The file path for a key; validation makes traversal impossible, the check below proves it. */
  private blobPath(key: string): string {
    const { factoryId, parts } = parseBlobKey(key);
    const file = path.join(this.objectsDir, 'factories', factoryId, ...parts) + BLOB_SUFFIX;
    if (!file.startsWith(this.objectsDir + path.sep)) throw new BadKeyError(key, 'it resolves outside the store');
    return file;
  }

  private rethrow(key: string, err: unknown): never {
    if (isMissing(err)) throw new BlobNotFoundError(key, { cause: err });
    throw err;
  }
}

async function writeDurably(
  file: string,
  write: (fh: FileHandle) => Promise<unknown>,
): Promise<void> {
  const fh = await open(file, 'wx', 0o644);
  try {
    await write(fh);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes a rename durable; some platforms cannot fsync a directory, which is fine to skip. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => undefined);
  if (!fh) return;
  try {
    await fh.sync().catch(() => undefined);
  } finally {
    await fh.close();
  }
}

async function readSidecar(file: string): Promise<Sidecar | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Sidecar>;
    if (typeof parsed.contentType === 'string' && typeof parsed.size === 'number' && typeof parsed.sha256 === 'string') {
      return parsed as Sidecar;
    }
  } catch (err) {
    if (!isMissing(err) && !(err instanceof SyntaxError)) throw err;
  }
  return undefined;
}

function ignoreMissing(err: unknown): void {
  if (!isMissing(err)) throw err;
}
