import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKey, factoryPrefix } from './blob-key';
import { S3BlobStore, type S3BlobStoreOptions } from './s3-blob-store';
import { collect, expectCode } from './testing/blob-store-contract';
import { startS3rver, type TestS3Server } from './testing/start-s3rver';

describe('s3 driver against s3rver: what only the S3 driver can get wrong', () => {
  let s3: TestS3Server;
  const stores: S3BlobStore[] = [];
  const open = (overrides: Partial<S3BlobStoreOptions> = {}) => {
    const store = new S3BlobStore({
      endpoint: s3.endpoint,
      accessKey: s3.accessKey,
      secretKey: s3.secretKey,
      bucket: 'gansight-s3-tests',
      region: 'us-east-1',
      partSizeBytes: 5 * 1024 * 1024,
      ...overrides,
    });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    s3 = await startS3rver();
  });

  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await s3?.dispose();
  });

  it('creates the bucket once, even when several processes race to do it', async () => {
    const store = open({ bucket: 'fresh-bucket' });
    await expectCode(store.put(blobKey('f1', 'a.bin'), Buffer.from('x')), 'MISCONFIGURED');
    await Promise.all([store.ensureReady(), open({ bucket: 'fresh-bucket' }).ensureReady(), store.ensureReady()]);
    await store.put(blobKey('f1', 'a.bin'), Buffer.from('x'));
    expect(await store.exists(blobKey('f1', 'a.bin'))).toBe(true);
  });

  it('lists more than 1000 objects (more than one S3 page at the default page size)', async () => {
    const store = open();
    await store.ensureReady();
    const keys = Array.from({ length: 1003 }, (_, i) => blobKey('bulk', 'images', `${String(i).padStart(4, '0')}.png`));
    for (let i = 0; i < keys.length; i += 25) {
      await Promise.all(keys.slice(i, i + 25).map((k) => store.put(k, Buffer.from(k))));
    }
    const listed = await collect(store.list(factoryPrefix('bulk')));
    expect(listed.map((e) => e.key)).toEqual(keys);
  });

  it('aborts a multipart upload whose checksum or size is wrong, keeping the previous blob', async () => {
    const store = open();
    await store.ensureReady();
    const key = blobKey('f1', 'checkpoint.bin');
    await store.put(key, Buffer.from('previous checkpoint'));
    const big = () => Readable.from([randomBytes(4 * 1024 * 1024), randomBytes(4 * 1024 * 1024)]);
    await expectCode(store.put(key, big(), { sha256: 'a'.repeat(64) }), 'CHECKSUM_MISMATCH');
    await expectCode(store.put(key, big(), { maxBytes: 6 * 1024 * 1024 }), 'TOO_LARGE');
    expect((await store.get(key)).toString()).toBe('previous checkpoint');
  });

  it('signs presigned URLs for the public endpoint when one is given', async () => {
    const store = open({ publicEndpoint: `http://localhost:${s3.port}` });
    await store.ensureReady();
    const key = blobKey('f1', 'public.txt');
    await store.put(key, Buffer.from('seen from outside'), { contentType: 'text/plain' });
    const url = new URL(await store.presignedGetUrl(key, 60));
    expect(url.host).toBe(`localhost:${s3.port}`);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('seen from outside');
  });

  it('reports rejected credentials as MISCONFIGURED, not as a missing blob', async () => {
    const store = open({ accessKey: 'NOT-A-KEY', secretKey: 'nope' });
    await expectCode(store.stat(blobKey('f1', 'a.bin')), 'MISCONFIGURED');
  });

  it('fails fast with STORAGE_UNAVAILABLE once the server is stopped', async () => {
    const own = await startS3rver();
    try {
      const store = open({ endpoint: own.endpoint, requestTimeoutMs: 2000 });
      await store.ensureReady();
      const key = blobKey('f1', 'a.bin');
      await store.put(key, Buffer.from('x'));
      await own.stop();
      const started = Date.now();
      await expectCode(store.get(key), 'STORAGE_UNAVAILABLE');
      await expectCode(store.stat(key), 'STORAGE_UNAVAILABLE');
      await expectCode(store.exists(key), 'STORAGE_UNAVAILABLE');
      await expectCode(store.put(key, Readable.from([Buffer.from('y')])), 'STORAGE_UNAVAILABLE');
      await expectCode(store.delete(key), 'STORAGE_UNAVAILABLE');
      await expectCode(collect(store.list(factoryPrefix('f1'))), 'STORAGE_UNAVAILABLE');
      await expectCode(store.ensureReady(), 'STORAGE_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await own.dispose();
    }
  });

  it('gives up on a server that accepts connections but never answers', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as net.AddressInfo;
      const store = open({ endpoint: `http://127.0.0.1:${port}`, requestTimeoutMs: 300 });
      const started = Date.now();
      await expectCode(store.stat(blobKey('f1', 'a.bin')), 'STORAGE_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
