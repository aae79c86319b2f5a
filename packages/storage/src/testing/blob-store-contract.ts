import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { blobKey, factoryPrefix } from '../blob-key';
import type { BlobStore } from '../blob-store';
import { isStorageError, type StorageErrorCode } from '../errors';

/**
 * The behaviour every BlobStore driver must share. Call inside a describe() whose hooks
 * provide a ready store; each case uses fresh factory ids, so cases never see each other.
 */
export function blobStoreContract(getStore: () => BlobStore): void {
  const store = () => getStore();
  const factory = () => `fac-${randomUUID().slice(0, 8)}`;
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

  it('round-trips bytes and content type', async () => {
    const key = blobKey(factory(), 'images', 'part-1.png');
    const bytes = randomBytes(4096);
    const put = await store().put(key, bytes, { contentType: 'image/png' });
    expect(put).toMatchObject({ key, size: 4096, sha256: sha(bytes) });
    expect((await store().get(key)).equals(bytes)).toBe(true);
    expect(await store().stat(key)).toMatchObject({ size: 4096, contentType: 'image/png' });
    expect((await store().stat(key)).lastModified.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('stores exactly the viewed bytes of a Uint8Array, with a default content type', async () => {
    const key = blobKey(factory(), 'slice.bin');
    const backing = Uint8Array.from([9, 9, 1, 2, 3, 9]);
    await store().put(key, backing.subarray(2, 5));
    expect([...(await store().get(key))]).toEqual([1, 2, 3]);
    expect((await store().stat(key)).contentType).toBe('application/octet-stream');
  });

  it('replaces a blob on a second put', async () => {
    const key = blobKey(factory(), 'model.json');
    await store().put(key, Buffer.from('{"v":1}'), { contentType: 'application/json' });
    await store().put(key, Buffer.from('second version'), { contentType: 'text/plain' });
    expect((await store().get(key)).toString()).toBe('second version');
    expect(await store().stat(key)).toMatchObject({ size: 14, contentType: 'text/plain' });
  });

  it('streams a multi-megabyte blob in and out intact', async () => {
    const key = blobKey(factory(), 'checkpoints', 'generator.bin');
    const bytes = randomBytes(7 * 1024 * 1024 + 123);
    const chunks = function* () {
      for (let i = 0; i < bytes.length; i += 256 * 1024) yield bytes.subarray(i, i + 256 * 1024);
    };
    const put = await store().put(key, Readable.from(chunks()), { contentType: 'application/octet-stream' });
    expect(put).toMatchObject({ size: bytes.length, sha256: sha(bytes) });
    const received: Buffer[] = [];
    for await (const chunk of await store().stream(key)) received.push(chunk as Buffer);
    expect(received.length).toBeGreaterThan(1); // really streamed, not one buffer
    expect(sha(Buffer.concat(received))).toBe(sha(bytes));
  });

  it('reports existence, and deletes idempotently', async () => {
    const key = blobKey(factory(), 'a.txt');
    expect(await store().exists(key)).toBe(false);
    await store().put(key, Buffer.from('x'));
    expect(await store().exists(key)).toBe(true);
    await store().delete(key);
    expect(await store().exists(key)).toBe(false);
    await expectCode(store().stat(key), 'NOT_FOUND');
    await store().delete(key);
  });

  it('throws NOT_FOUND for get, stream and stat of a missing key', async () => {
    const key = blobKey(factory(), 'missing.png');
    await expectCode(store().get(key), 'NOT_FOUND');
    await expectCode(store().stream(key), 'NOT_FOUND');
    await expectCode(store().stat(key), 'NOT_FOUND');
  });

  it('lists a prefix across several pages, in key order, and nothing else', async () => {
    const f = factory();
    const keys = Array.from({ length: 23 }, (_, i) => blobKey(f, 'lots', `item-${String(i).padStart(2, '0')}.bin`));
    await Promise.all(keys.map((k, i) => store().put(k, Buffer.alloc(i + 1))));
    await store().put(blobKey(f, 'lots-archive', 'x.bin'), Buffer.from('x'));
    await store().put(blobKey(f, 'lots', 'deeper', 'y.bin'), Buffer.from('y'));
    const listed = await collect(store().list(`${factoryPrefix(f)}lots/`));
    expect(listed.map((e) => e.key)).toEqual([...keys, blobKey(f, 'lots', 'deeper', 'y.bin')].sort());
    expect(listed.find((e) => e.key === keys[4])?.size).toBe(5);
    const partial = await collect(store().list(`${factoryPrefix(f)}lots/item-1`));
    expect(partial.map((e) => e.key)).toEqual(keys.slice(10, 20));
    expect(await collect(store().list(`${factoryPrefix(f)}nothing-here/`))).toEqual([]);
  });

  it("never lists another factory's keys, even one whose id extends this one", async () => {
    const f = factory();
    await store().put(blobKey(f, 'mine.png'), Buffer.from('1'));
    await store().put(blobKey(`${f}0`, 'theirs.png'), Buffer.from('2'));
    await store().put(blobKey(factory(), 'other.png'), Buffer.from('3'));
    const listed = await collect(store().list(factoryPrefix(f)));
    expect(listed.map((e) => e.key)).toEqual([blobKey(f, 'mine.png')]);
  });

  it('rejects traversal and unscoped keys with BAD_KEY in every method, storing nothing', async () => {
    const f = factory();
    const bad = [`factories/${f}/../other/a.png`, 'images/a.png', `/factories/${f}/a.png`, `factories/${f}/`, `factories/${f}`];
    for (const key of bad) {
      await expectCode(store().put(key, Buffer.from('x')), 'BAD_KEY');
      await expectCode(store().get(key), 'BAD_KEY');
      await expectCode(store().stream(key), 'BAD_KEY');
      await expectCode(store().stat(key), 'BAD_KEY');
      await expectCode(store().exists(key), 'BAD_KEY');
      await expectCode(store().delete(key), 'BAD_KEY');
      await expectCode(store().presignedGetUrl(key, 60), 'BAD_KEY');
      await expectCode(store().presignedPutUrl(key, 60), 'BAD_KEY');
    }
    await expectCode(collect(store().list(`factories/${f}`)), 'BAD_KEY');
    await expectCode(collect(store().list('factories/')), 'BAD_KEY');
    expect(await collect(store().list(factoryPrefix(f)))).toEqual([]);
  });

  it('stores nothing on CHECKSUM_MISMATCH, and keeps the previous blob', async () => {
    const f = factory();
    const fresh = blobKey(f, 'fresh.bin');
    const wrong = sha(Buffer.from('something else'));
    await expectCode(store().put(fresh, Buffer.from('payload'), { sha256: wrong }), 'CHECKSUM_MISMATCH');
    await expectCode(store().put(fresh, Readable.from([Buffer.from('pay'), Buffer.from('load')]), { sha256: wrong }), 'CHECKSUM_MISMATCH');
    expect(await store().exists(fresh)).toBe(false);

    const kept = blobKey(f, 'kept.bin');
    await store().put(kept, Buffer.from('original'));
    await expectCode(store().put(kept, Readable.from([Buffer.from('replacement')]), { sha256: wrong }), 'CHECKSUM_MISMATCH');
    expect((await store().get(kept)).toString()).toBe('original');
    expect(await collect(store().list(factoryPrefix(f)))).toHaveLength(1);

    const ok = await store().put(fresh, Readable.from([Buffer.from('payload')]), { sha256: sha(Buffer.from('payload')).toUpperCase() });
    expect(ok.sha256).toBe(sha(Buffer.from('payload')));
  });

  it('stores nothing when the body exceeds maxBytes or the source stream fails', async () => {
    const key = blobKey(factory(), 'big.bin');
    await expectCode(store().put(key, Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), { maxBytes: 1000 }), 'TOO_LARGE');
    await expectCode(store().put(key, Buffer.alloc(1001), { maxBytes: 1000 }), 'TOO_LARGE');
    const failing = new Readable({ read() {} });
    failing.push(Buffer.alloc(100));
    setTimeout(() => failing.destroy(new Error('camera disconnected')), 20);
    await expect(store().put(key, failing)).rejects.toThrow(/camera disconnected/);
    expect(await store().exists(key)).toBe(false);
  });

  it('accepts a presigned PUT and serves it through a presigned GET over real HTTP', async () => {
    const key = blobKey(factory(), 'uploads', 'frame.png');
    const bytes = randomBytes(50_000);
    const putUrl = await store().presignedPutUrl(key, 300, { contentType: 'image/png' });
    const put = await fetch(putUrl, { method: 'PUT', body: bytes, headers: { 'content-type': 'image/png' } });
    expect(put.status).toBe(200);
    expect(await store().stat(key)).toMatchObject({ size: bytes.length, contentType: 'image/png' });

    const get = await fetch(await store().presignedGetUrl(key, 300));
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await get.arrayBuffer()).equals(bytes)).toBe(true);

    const missing = await fetch(await store().presignedGetUrl(blobKey(factory(), 'none.png'), 300));
    expect(missing.status).toBe(404);
  });

  it('holds a presigned PUT to its signed byte limit while it streams, storing nothing beyond it', async () => {
    const key = blobKey(factory(), 'uploads', 'limited.png');
    const url = await store().presignedPutUrl(key, 300, { contentType: 'image/png', maxBytes: 1_000_000 });
    const headers = { 'content-type': 'image/png' };
    // Declared too large: refused before a byte is read.
    const declared = await fetch(url, { method: 'PUT', body: randomBytes(1_000_001), headers });
    expect(declared.status).toBe(413);
    // Chunked, so the handler learns the size only as bytes arrive (a client that does not say).
    const chunks = Readable.from((function* () {
      for (let i = 0; i < 40; i++) yield randomBytes(64 * 1024);
    })());
    const streamed = await fetch(url, { method: 'PUT', body: Readable.toWeb(chunks) as ReadableStream, headers, duplex: 'half' } as RequestInit).then(
      (r) => r.status,
      () => 'connection closed',
    );
    expect([413, 'connection closed']).toContain(streamed);
    expect(await store().exists(key)).toBe(false);
    const fits = await fetch(url, { method: 'PUT', body: randomBytes(1_000_000), headers });
    expect(fits.status).toBe(200);
    expect((await store().stat(key)).size).toBe(1_000_000);
  });

  it('refuses presign lifetimes outside 1 s to 7 days', async () => {
    const key = blobKey(factory(), 'a.png');
    await expectCode(store().presignedGetUrl(key, 0), 'INVALID_ARGUMENT');
    await expectCode(store().presignedPutUrl(key, 8 * 24 * 3600), 'INVALID_ARGUMENT');
  });
}

/** Awaits a promise that must reject with a StorageError of the given code. */
export async function expectCode(promise: Promise<unknown>, code: StorageErrorCode): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isStorageError(err, code)) {
    throw new Error(`expected a StorageError ${code}, got ${err === undefined ? 'success' : String(err)}`);
  }
}

/** Drains an async iterable into an array. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
