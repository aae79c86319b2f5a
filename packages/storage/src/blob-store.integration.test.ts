import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import type { BlobStore } from './blob-store';
import { createBlobStore } from './create-blob-store';
import { blobStoreContract } from './testing/blob-store-contract';
import { startBlobServer, type TestBlobServer } from './testing/blob-http-server';
import { startS3rver, type TestS3Server } from './testing/start-s3rver';

// The same cases against both drivers: whatever the deployment picks, callers see one behaviour.

describe('fs driver (blob contract)', () => {
  let root: string;
  let server: TestBlobServer;
  let store: BlobStore;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'gansight-blobs-'));
    server = await startBlobServer();
    const presignSecret = 'contract-secret-0123456789abcdef';
    store = createBlobStore({ driver: 'fs', root }, { presignBaseUrl: server.baseUrl, presignSecret });
    server.serve(store, { secret: presignSecret });
    await store.ensureReady();
  });

  afterAll(async () => {
    await store?.close();
    await server?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  blobStoreContract(() => store);
});

describe('s3 driver against s3rver (blob contract)', () => {
  let s3: TestS3Server;
  let server: TestBlobServer;
  let store: BlobStore;

  beforeAll(async () => {
    s3 = await startS3rver();
    // Presigned PUTs go through the blob handler into the bucket (ADR 0024), as the API mounts it.
    server = await startBlobServer();
    const presignSecret = 'contract-secret-0123456789abcdef';
    store = createBlobStore(
      { driver: 's3', endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey, bucket: 'gansight-contract', region: 'us-east-1', publicEndpoint: undefined },
      // Small pages and parts so that paging and multipart uploads run on small data.
      { listPageSize: 5, partSizeBytes: 5 * 1024 * 1024, requestTimeoutMs: 15_000, presignBaseUrl: server.baseUrl, presignSecret },
    );
    server.serve(store, { secret: presignSecret });
    await store.ensureReady();
  });

  afterAll(async () => {
    await store?.close();
    await server?.close();
    await s3?.dispose();
  });

  blobStoreContract(() => store);
});
