// Presigned upload URLs (issue 13, item 4): held to the maxBytes they promise while the body
// streams, used at most once, and the uploads nobody registered removed after they expired.
// Real HTTP PUTs against the API's /blobs route, as a line integration sends them.
import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3rver, type TestS3Server } from '@gansight/storage/testing';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';
import { pngImage, sha256 } from '../../testing/test-images';

let t: TestApi;
let acme: TestFactory;
let productId: string;

const REQUEST = 'mutation($p: ID!) { requestImageUpload(productId: $p, contentType: "image/png") { key url method headers maxBytes expiresAt } }';
const REGISTER = 'mutation($i: RegisterImageInput!) { registerImage(input: $i) { duplicate image { id sha256 } } }';

interface Upload {
  key: string;
  url: string;
  headers: Record<string, string>;
  maxBytes: number;
}

async function requestUpload(): Promise<Upload> {
  const res = await t.gql(REQUEST, { p: productId }, { token: acme.keyToken });
  return res.json.data!.requestImageUpload as Upload;
}

/** Status of a PUT; a server that stops reading a body it refused may close the connection first. */
async function put(upload: Upload, body: Buffer | Readable): Promise<number | 'closed'> {
  const init = Buffer.isBuffer(body)
    ? { method: 'PUT', headers: upload.headers, body: new Uint8Array(body) }
    : { method: 'PUT', headers: upload.headers, body: Readable.toWeb(body) as ReadableStream, duplex: 'half' };
  return fetch(upload.url, init as RequestInit).then(
    (r) => r.status,
    () => 'closed' as const,
  );
}

/** `mib` MiB in 1 MiB chunks, without a Content-Length: the size shows only as bytes arrive. */
function streamOf(mib: number): Readable {
  return Readable.from((function* () {
    for (let i = 0; i < mib; i++) yield Buffer.alloc(1 << 20, i);
  })());
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; !(await check()); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function start(s3?: TestS3Server): Promise<void> {
  // Sweeps often, with no grace after expiry, so that the sweep case runs in seconds.
  t = await startTestApi({ uploadSweep: { intervalMs: 250, graceMs: 0 }, s3 });
  acme = await t.createFactory('Upload Tiles');
  const product = await t.gql('mutation { createProduct(input: { name: "Cell", imageSize: 32, channels: 1 }) { id } }', {}, { token: acme.keyToken });
  productId = product.json.data!.createProduct.id;
}

/** What every storage driver must show through the API's blob route. */
function uploadUrlCases(): void {
  it('stores nothing beyond the maxBytes the URL promised, whether the client declares the size or streams it', async () => {
    const upload = await requestUpload();
    expect(upload.maxBytes).toBe(25 * 1024 * 1024);
    expect(await put(upload, Buffer.alloc(upload.maxBytes + 1))).toBe(413);
    expect([413, 'closed']).toContain(await put(upload, streamOf(60)));
    expect(await t.blobs.exists(upload.key)).toBe(false);
    // A refused body does not use the URL up: the right file still goes in.
    const bytes = await pngImage(48, 1);
    expect(await put(upload, bytes)).toBe(200);
    const res = await t.gql(REGISTER, { i: { key: upload.key, sha256: sha256(bytes) } }, { token: acme.keyToken });
    expect(res.json.data?.registerImage.image.sha256, JSON.stringify(res.json)).toBe(sha256(bytes));
  });

  it('takes one upload per URL: a second PUT, two PUTs at once, and a PUT after registerImage are refused', async () => {
    const upload = await requestUpload();
    const first = await pngImage(48, 2);
    expect(await put(upload, first)).toBe(200);
    expect(await put(upload, await pngImage(48, 3))).toBe(409);
    expect((await t.blobs.get(upload.key)).equals(first)).toBe(true);

    const racing = await requestUpload();
    const [one, other] = [await pngImage(48, 4), await pngImage(48, 5)];
    const statuses = await Promise.all([put(racing, one), put(racing, other)]);
    expect(statuses.sort()).toEqual([200, 409]);

    const registered = await t.gql(REGISTER, { i: { key: upload.key, sha256: sha256(first) } }, { token: acme.keyToken });
    expect(registered.json.data?.registerImage.duplicate, JSON.stringify(registered.json)).toBe(false);
    expect(await put(upload, await pngImage(48, 6))).toBe(409);
    expect(await t.blobs.exists(upload.key)).toBe(false);
    // Registering again finds nothing: the upload was spent.
    expect(errorCode(await t.gql(REGISTER, { i: { key: upload.key, sha256: sha256(first) } }, { token: acme.keyToken }))).toBe('NOT_FOUND');
  });
}

describe('presigned upload URLs, fs storage', () => {
  beforeAll(() => start());
  afterAll(() => t.stop());

  uploadUrlCases();

  it('removes uploads nobody registered once they expired, and upload blobs nobody can register', async () => {
    const db = t.database.db;
    const uploaded = await requestUpload();
    expect(await put(uploaded, await pngImage(48, 7))).toBe(200);
    const neverPut = await requestUpload();
    const fresh = await requestUpload();
    expect(await put(fresh, await pngImage(48, 8))).toBe(200);
    // An upload blob without a row (an old API's upload, a sweep stopped half-way), 20 minutes old.
    const orphan = `factories/${acme.factoryId}/uploads/${productId}/left-behind`;
    await t.blobs.put(orphan, await pngImage(48, 9));
    const old = new Date(Date.now() - 20 * 60_000);
    await utimes(path.join(t.blobRoot, 'objects', `${orphan}@blob`), old, old);
    const young = `factories/${acme.factoryId}/uploads/${productId}/just-written`;
    await t.blobs.put(young, await pngImage(48, 10));

    // Time passes for the first two: their URLs expired a minute ago.
    const expired = new Date(Date.now() - 60_000);
    await db.pendingUpload.updateMany({ where: { blobKey: { in: [uploaded.key, neverPut.key] } }, data: { expiresAt: expired } });

    await waitFor(async () => !(await t.blobs.exists(uploaded.key)) && !(await t.blobs.exists(orphan)), 'the sweep');
    expect(await db.pendingUpload.count({ where: { blobKey: { in: [uploaded.key, neverPut.key] } } })).toBe(0);
    expect(errorCode(await t.gql(REGISTER, { i: { key: uploaded.key, sha256: 'a'.repeat(64) } }, { token: acme.keyToken }))).toBe('NOT_FOUND');
    expect(await put(neverPut, await pngImage(48, 11))).toBe(409);
    expect(await t.blobs.exists(neverPut.key)).toBe(false);
    // What may still be registered stays.
    expect(await t.blobs.exists(fresh.key)).toBe(true);
    expect(await t.blobs.exists(young)).toBe(true);
    expect(await db.pendingUpload.findUnique({ where: { blobKey: fresh.key } })).toMatchObject({ status: 'UPLOADED' });
  });
});

// With S3 the PUT URL points at the API's blob route too, which streams into the bucket: an S3
// query-signed PUT would take any size and any number of uploads until it expires (ADR 0024).
describe('presigned upload URLs, S3 storage (s3rver)', () => {
  let s3: TestS3Server;
  beforeAll(async () => {
    s3 = await startS3rver();
    await start(s3);
  });
  afterAll(async () => {
    await t?.stop();
    await s3?.dispose();
  });

  uploadUrlCases();
});
