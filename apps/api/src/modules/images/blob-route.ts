import type { IncomingMessage, ServerResponse } from 'node:http';
import { claimPendingUpload, releasePendingUpload, type Db } from '@gansight/db';
import { createBlobHttpHandler, type BlobStore, type UploadGate } from '@gansight/storage';
import type { HttpRoute } from '../../server';

/** Upload URLs work once: a PUT must claim the PendingUpload row requestImageUpload created. */
export function pendingUploadGate(db: Db): UploadGate {
  return {
    claim: (key) => claimPendingUpload(db, key),
    release: (key, stored) => releasePendingUpload(db, key, stored),
  };
}

/**
 * The `/blobs` route of the API: signed GETs of the fs driver, and every driver's signed PUTs
 * (requestImageUpload's URLs), each held to its signed content type and byte limit and used at
 * most once. Mount it at `/blobs` (the stores' presignBaseUrl).
 */
export function createBlobRoute(options: { blobs: BlobStore; db: Db; secret: string; maxUploadBytes?: number }): HttpRoute {
  const handler = createBlobHttpHandler(options.blobs, {
    secret: options.secret,
    basePath: '/blobs',
    maxUploadBytes: options.maxUploadBytes,
    uploads: pendingUploadGate(options.db),
  });
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!handler(req, res)) {
      res.statusCode = 404;
      res.end();
    }
  };
}
