import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from './blob-store';
import { isStorageError } from './errors';
import { checkPresignSecret, verifyPresignedRequest } from './presign-token';

export interface BlobHttpHandlerOptions {
  /** The secret the store signs with (createBlobStore's presignSecret). */
  secret: string;
  /** Path the handler is mounted at; the rest of the path is the key. Default "/blobs". */
  basePath?: string;
  /** Largest body any presigned PUT may upload; a URL's own signed limit can only be lower. Default 512 MiB. */
  maxUploadBytes?: number;
  /** Makes upload URLs single-use: consulted around every PUT (see UploadGate). */
  uploads?: UploadGate;
}

/**
 * What the application knows about the uploads it handed out. `claim` runs once a PUT passed
 * every other check and before its first byte is stored: false refuses it with 409 (the URL
 * was used already, or the upload was registered or withdrawn). `release` follows every
 * claimed PUT: stored or not; an upload that failed may be retried with the same URL.
 */
export interface UploadGate {
  claim(key: string): Promise<boolean>;
  release(key: string, stored: boolean): Promise<void>;
}

const DEFAULT_MAX_UPLOAD = 512 * 1024 * 1024;

/**
 * A Node `http` request handler serving the fs driver's presigned URLs: GET/HEAD stream a
 * blob, PUT stores one, each only with a valid, unexpired signature for that method and key.
 * Returns false (and writes nothing) for requests outside basePath so a server can fall through.
 */
export function createBlobHttpHandler(
  store: BlobStore,
  options: BlobHttpHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const secret = checkPresignSecret(options.secret);
  const basePath = (options.basePath ?? '/blobs').replace(/\/+$/, '');
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD;

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://blob.local');
    if (!url.pathname.startsWith(`${basePath}/`)) return false;
    void serve(req, res, url).catch((err) => {
      if (!res.headersSent) reply(res, statusFor(err), messageFor(err));
      else res.destroy(err as Error);
    });
    return true;
  };

  async function serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD' && method !== 'PUT') {
      res.setHeader('Allow', 'GET, HEAD, PUT');
      return reply(res, 405, 'only GET, HEAD and PUT are supported');
    }
    let key: string;
    try {
      key = decodeURIComponent(url.pathname.slice(basePath.length + 1));
    } catch {
      return reply(res, 400, 'the key in the URL is not valid percent-encoding');
    }
    const check = verifyPresignedRequest(secret, { method, key, query: url.searchParams });
    if (!check.ok) return reply(res, 403, check.reason);
    if (method === 'PUT') return receive(req, res, key, check.grant.contentType, check.grant.maxBytes);
    return send(res, key, method === 'HEAD');
  }

  async function receive(req: IncomingMessage, res: ServerResponse, key: string, signedType?: string, signedMax?: number): Promise<void> {
    const sentType = req.headers['content-type'];
    if (signedType !== undefined && sentType !== signedType) {
      return reply(res, 403, `this URL only accepts Content-Type ${signedType}`);
    }
    const limit = Math.min(maxUploadBytes, signedMax ?? Number.POSITIVE_INFINITY);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return refuseTooLarge(res, limit);
    if (options.uploads && !(await options.uploads.claim(key))) {
      res.setHeader('Connection', 'close');
      return reply(res, 409, 'this upload URL has been used already (or its upload was registered); request a new one');
    }
    let result;
    try {
      // The limit is enforced on the bytes as they arrive: a body without (or lying about) its
      // Content-Length is cut off at limit + 1 bytes and nothing is stored.
      result = await store.put(key, req, { contentType: signedType ?? sentType, maxBytes: limit });
    } catch (err) {
      await options.uploads?.release(key, false);
      if (isStorageError(err, 'TOO_LARGE')) return refuseTooLarge(res, limit);
      throw err;
    }
    // Settled before the answer, so a client that goes on at once (registerImage) finds it done.
    await options.uploads?.release(key, true);
    res.setHeader('ETag', `"${result.sha256}"`);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(result));
  }

  async function send(res: ServerResponse, key: string, headOnly: boolean): Promise<void> {
    const stat = await store.stat(key);
    res.statusCode = 200;
    res.setHeader('Content-Type', stat.contentType);
    res.setHeader('Content-Length', String(stat.size));
    res.setHeader('Last-Modified', stat.lastModified.toUTCString());
    if (stat.etag) res.setHeader('ETag', `"${stat.etag}"`);
    // Blobs are user uploads served from the API's origin: never let a browser run them.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    if (headOnly) return void res.end();
    await pipeline(await store.stream(key), res);
  }
}

/** 413, closing the connection: the rest of the body is not read. */
function refuseTooLarge(res: ServerResponse, limit: number): void {
  res.setHeader('Connection', 'close');
  reply(res, 413, `this upload is limited to ${limit} bytes`);
}

function statusFor(err: unknown): number {
  if (isStorageError(err, 'NOT_FOUND')) return 404;
  if (isStorageError(err, 'BAD_KEY') || isStorageError(err, 'INVALID_ARGUMENT')) return 400;
  if (isStorageError(err, 'TOO_LARGE')) return 413;
  if (isStorageError(err, 'STORAGE_UNAVAILABLE')) return 503;
  return 500;
}

function messageFor(err: unknown): string {
  // Storage errors are written for users; anything else may hold paths, so stay vague.
  return isStorageError(err) ? err.message : 'internal error while serving the blob';
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(`${message}\n`);
}
