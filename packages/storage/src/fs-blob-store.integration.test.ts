import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKey } from './blob-key';
import { FsBlobStore } from './fs-blob-store';
import { buildPresignedUrl, signGrant } from './presign-token';
import { expectCode } from './testing/blob-store-contract';
import { startBlobServer, type TestBlobServer } from './testing/blob-http-server';

const SECRET = 'fs-handler-secret-0123456789abcd';

describe('fs driver: atomic writes and the presigned URL handler', () => {
  let root: string;
  let server: TestBlobServer;
  let store: FsBlobStore;
  const sign = (grant: Parameters<typeof buildPresignedUrl>[2]) => buildPresignedUrl(server.baseUrl, SECRET, grant);
  const inOneMinute = () => Math.floor(Date.now() / 1000) + 60;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'gansight-fs-'));
    server = await startBlobServer();
    store = new FsBlobStore({ root, presignBaseUrl: server.baseUrl, presignSecret: SECRET });
    server.serve(store, { secret: SECRET, maxUploadBytes: 1000 });
    await store.ensureReady();
  });

  afterAll(async () => {
    await server?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('keeps a blob invisible until its last byte is durable, and leaves no temp files', async () => {
    const key = blobKey('f1', 'slow.bin');
    const source = new Readable({ read() {} });
    const writing = store.put(key, source);
    source.push(Buffer.alloc(1000, 1));
    await new Promise((r) => setTimeout(r, 50));
    expect(await store.exists(key)).toBe(false);
    source.push(Buffer.alloc(24, 2));
    source.push(null);
    expect((await writing).size).toBe(1024);
    expect((await store.stat(key)).size).toBe(1024);
    await expectCode(store.put(key, Buffer.from('x'), { sha256: '0'.repeat(64) }), 'CHECKSUM_MISMATCH');
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
  });

  it('ignores a sidecar that does not describe its blob (crash between the two renames)', async () => {
    const key = blobKey('f1', 'crashed.png');
    await store.put(key, Buffer.from('old image'), { contentType: 'image/png' });
    const sidecar = path.join(root, 'objects', 'factories', 'f1', 'crashed.png@meta');
    await writeFile(sidecar, JSON.stringify({ contentType: 'text/html', size: 999, sha256: 'f'.repeat(64) }));
    expect(await store.stat(key)).toMatchObject({ contentType: 'application/octet-stream', size: 9 });
  });

  it('removes stale temp files on ensureReady', async () => {
    const stale = path.join(root, 'tmp', 'left-by-a-crash.blob');
    await writeFile(stale, 'partial');
    const { utimes } = await import('node:fs/promises');
    await utimes(stale, new Date(0), new Date(0));
    await store.ensureReady();
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
  });

  it('refuses expired and tampered URLs with 403 and serves nothing', async () => {
    const key = blobKey('f1', 'secret.png');
    await store.put(key, Buffer.from('pixels'), { contentType: 'image/png' });
    const expired = sign({ method: 'GET', key, expires: Math.floor(Date.now() / 1000) - 1 });
    const res = await fetch(expired);
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/expired/);

    const good = new URL(await store.presignedGetUrl(key, 60));
    expect((await fetch(good)).status).toBe(200);
    const otherFactory = new URL(good);
    otherFactory.pathname = otherFactory.pathname.replace('/f1/', '/f2/');
    const longer = new URL(good);
    longer.searchParams.set('expires', String(inOneMinute() + 3600));
    const unsigned = new URL(good);
    unsigned.search = '';
    for (const url of [otherFactory, longer, unsigned]) {
      const r = await fetch(url);
      expect(r.status).toBe(403);
      expect(await r.text()).not.toContain('pixels');
    }
  });

  it('grants only the signed method and content type', async () => {
    const key = blobKey('f1', 'upload.png');
    const getUrl = await store.presignedGetUrl(key, 60);
    expect((await fetch(getUrl, { method: 'PUT', body: 'x' })).status).toBe(403);
    const putUrl = await store.presignedPutUrl(key, 60, { contentType: 'image/png' });
    const wrongType = await fetch(putUrl, { method: 'PUT', body: 'x', headers: { 'content-type': 'text/html' } });
    expect(wrongType.status).toBe(403);
    expect(await store.exists(key)).toBe(false);
    expect((await fetch(putUrl, { method: 'DELETE' })).status).toBe(405);
  });

  it('rejects uploads over the size limit with 413 and stores nothing', async () => {
    const key = blobKey('f1', 'huge.bin');
    const url = await store.presignedPutUrl(key, 60);
    const declared = await fetch(url, { method: 'PUT', body: Buffer.alloc(1001) });
    expect(declared.status).toBe(413);
    // Chunked upload without Content-Length: the limit is enforced while streaming.
    const chunked = Readable.from([Buffer.alloc(600), Buffer.alloc(600)]);
    const streamed = await fetch(url, { method: 'PUT', body: Readable.toWeb(chunked) as ReadableStream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await store.exists(key)).toBe(false);
  });

  it('asks the upload gate before storing a PUT and tells it the outcome (single-use URLs)', async () => {
    // The application's record of open uploads (the API keeps it in PostgreSQL): one PUT each.
    const open = new Set<string>();
    const released: [string, boolean][] = [];
    server.serve(store, {
      secret: SECRET,
      maxUploadBytes: 1000,
      uploads: {
        claim: async (key) => open.delete(key),
        release: async (key, stored) => {
          released.push([key, stored]);
          if (!stored) open.add(key);
        },
      },
    });
    try {
      const key = blobKey('f1', 'uploads', 'p1', 'once.png');
      open.add(key);
      const url = await store.presignedPutUrl(key, 60, { contentType: 'image/png', maxBytes: 100 });
      const headers = { 'content-type': 'image/png' };
      // A refused attempt (too large for the URL) does not use the URL up.
      expect((await fetch(url, { method: 'PUT', body: Buffer.alloc(101), headers })).status).toBe(413);
      const chunked = Readable.from([Buffer.alloc(60), Buffer.alloc(60)]);
      const streamed = await fetch(url, { method: 'PUT', body: Readable.toWeb(chunked) as ReadableStream, headers, duplex: 'half' } as RequestInit);
      expect(streamed.status).toBe(413);
      expect(released).toEqual([[key, false]]);
      expect((await fetch(url, { method: 'PUT', body: Buffer.alloc(100, 1), headers })).status).toBe(200);
      const again = await fetch(url, { method: 'PUT', body: Buffer.alloc(10, 2), headers });
      expect(again.status).toBe(409);
      expect((await store.get(key)).equals(Buffer.alloc(100, 1))).toBe(true);
      expect(released).toEqual([[key, false], [key, true]]);
    } finally {
      server.serve(store, { secret: SECRET, maxUploadBytes: 1000 });
    }
  });

  it('answers HEAD with headers only, and never lets a browser run a served blob', async () => {
    const key = blobKey('f1', 'page.html');
    await store.put(key, Buffer.from('<script>alert(1)</script>'), { contentType: 'text/html' });
    const url = await store.presignedGetUrl(key, 60);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('25');
    const get = await fetch(url);
    expect(get.headers.get('content-security-policy')).toContain('sandbox');
    expect(get.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 400 for a traversal key even when its URL is validly signed', async () => {
    const key = 'factories/f1/../../../etc/passwd';
    const grant = { method: 'GET' as const, key, expires: inOneMinute() };
    // Built by hand: new URL() would resolve the ".." segments away before the handler saw them.
    const query = new URLSearchParams({ method: 'GET', expires: String(grant.expires), sig: signGrant(SECRET, grant) });
    const url = `${server.baseUrl}/factories/f1/..%2F..%2F..%2Fetc%2Fpasswd?${query}`;
    const res = await fetch(url);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/Bad blob key/);
  });

  it('leaves paths outside /blobs to the host server', async () => {
    expect((await fetch(server.baseUrl.replace('/blobs', '/graphql'))).status).toBe(404);
  });
});
