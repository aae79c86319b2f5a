// Issue 15, retention: the worker's retention pass deletes a factory's expired inspections with
// their pictures and the line images only they used, keeps the dataset, recent and unfinished
// work and other factories' data, and never leaves a row without its blob or a blob without a
// row naming it, also when the S3 server goes away half-way (ADR 0058). Real API, real
// PostgreSQL, real S3 server on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateModel, createLot, createModel, createProduct, recordInspectionResult, updateModel } from '@gansight/db';
import { errorCode, pngImage, startTestApi, type TestApi, type TestFactory } from '@gansight/api/testing';
import { blobKey } from '@gansight/storage';
import { startS3rver, type TestS3Server } from '@gansight/storage/testing';
import { runRetention } from '@gansight/worker';

let s3: TestS3Server;
let t: TestApi;
let acme: TestFactory;
let other: TestFactory;
let acmeAdmin: string;
let seed = 0;
const logs: string[] = [];
const products = new Map<string, string>();

const DAY = 24 * 3600 * 1000;
const retention = () => runRetention({ db: t.database.db, blobs: t.blobs, log: (l) => void logs.push(l) }, { batchSize: 2 });

/** The pictures, latent and a preview the worker stores for an inspection (inspection-job.ts). */
const pictures = (f: TestFactory, inspectionId: string) =>
  ['reconstruction.png', 'residual.png', 'latent.f32', 'preview-000025.png'].map((name) => blobKey(f.factoryId, 'inspections', inspectionId, name));

async function productOf(f: TestFactory): Promise<string> {
  const known = products.get(f.factoryId);
  if (known) return known;
  const product = await createProduct(t.database.db, f.factoryId, { name: 'Tile', slug: 'tile', imageSize: 32, channels: 1 });
  const model = await createModel(t.database.db, f.factoryId, { productId: product.id });
  await updateModel(t.database.db, f.factoryId, model.id, { status: 'READY', threshold: 1, generatorKey: blobKey(f.factoryId, 'models', model.id, 'g') });
  await activateModel(t.database.db, f.factoryId, model.id);
  products.set(f.factoryId, product.id);
  return product.id;
}

/** An image stored through the API: from the line (as `submitInspection` with an upload stores it) or into the dataset. */
async function storeImage(f: TestFactory, facts: Record<string, string>): Promise<{ id: string; blobKey: string }> {
  const upload = { productId: await productOf(f), dataBase64: (await pngImage(32, ++seed)).toString('base64'), facts };
  const res = await t.gql('mutation($i: UploadImageInput!) { uploadImage(input: $i) { image { id } } }', { i: upload }, { token: f.keyToken });
  expect(res.json.errors).toBeUndefined();
  const id = res.json.data!.uploadImage.image.id as string;
  const row = await t.database.db.image.findUniqueOrThrow({ where: { id }, select: { blobKey: true } });
  return { id, blobKey: row.blobKey };
}

/** An inspection submitted through the API, answered as the worker answers it (row and blobs), created `daysAgo`. */
async function inspection(f: TestFactory, o: { imageId?: string; daysAgo: number; lotId?: string; answered?: boolean }): Promise<string> {
  const input = o.imageId
    ? { imageId: o.imageId, lotId: o.lotId }
    : { upload: { productId: await productOf(f), dataBase64: (await pngImage(32, ++seed)).toString('base64') }, lotId: o.lotId, line: 'L1' };
  const res = await t.gql('mutation($i: SubmitInspectionInput!) { submitInspection(input: $i) { inspection { id } } }', { i: input }, { token: f.keyToken });
  expect(res.json.errors).toBeUndefined();
  const id = res.json.data!.submitInspection.inspection.id as string;
  if (o.answered !== false) {
    const [reconstructionKey, residualKey] = pictures(f, id);
    for (const key of pictures(f, id)) await t.blobs.put(key, Buffer.from(`bytes of ${key}`));
    await recordInspectionResult(t.database.db, f.factoryId, id, { status: 'DONE', verdict: 'PASS', reconstructionKey, residualKey, completedAt: new Date() });
  }
  await t.database.db.$executeRaw`UPDATE "Inspection" SET "createdAt" = ${new Date(Date.now() - o.daysAgo * DAY)} WHERE "id" = ${id}`;
  return id;
}

async function imageIdOf(inspectionId: string): Promise<string> {
  return (await t.database.db.inspection.findUniqueOrThrow({ where: { id: inspectionId }, select: { imageId: true } })).imageId;
}

/** The inspection ids the API lists to the factory. */
async function listed(f: TestFactory): Promise<Set<string>> {
  const res = await t.gql('{ inspections(first: 100) { edges { node { id } } } }', {}, { token: f.keyToken });
  expect(res.json.errors).toBeUndefined();
  return new Set(res.json.data!.inspections.edges.map((e: { node: { id: string } }) => e.node.id));
}

async function exists(keys: string[]): Promise<boolean[]> {
  return Promise.all(keys.map((k) => t.blobs.exists(k)));
}

/** Every inspection and image row of the factory names blobs that exist: what the API could hand out. */
async function everyRowHasItsBlobs(f: TestFactory): Promise<void> {
  const rows = await t.database.db.inspection.findMany({ where: { factoryId: f.factoryId, status: 'DONE' }, select: { reconstructionKey: true, residualKey: true } });
  const images = await t.database.db.image.findMany({ where: { factoryId: f.factoryId }, select: { blobKey: true } });
  const keys = [...rows.flatMap((r) => [r.reconstructionKey!, r.residualKey!]), ...images.map((i) => i.blobKey)];
  expect(keys.length).toBeGreaterThan(0);
  const present = await exists(keys);
  expect(keys.filter((_, i) => !present[i])).toEqual([]);
}

const pending = (f: TestFactory) => t.database.db.pendingBlobDeletion.count({ where: { factoryId: f.factoryId } });

beforeAll(async () => {
  s3 = await startS3rver();
  t = await startTestApi({ s3 });
  acme = await t.createFactory('Acme Tiles');
  other = await t.createFactory('Other Works');
  acmeAdmin = await t.login(acme.adminEmail);
  const set = await t.gql('mutation { setInspectionRetention(days: 30) { inspectionRetentionDays } }', {}, { token: acmeAdmin });
  expect(set.json.data!.setInspectionRetention.inspectionRetentionDays).toBe(30);
});
afterAll(async () => {
  await t?.stop();
  await s3?.dispose();
});

describe('inspection retention', () => {
  it("deletes a factory's expired inspections, their pictures and line images, and keeps everything else", async () => {
    // Expired, from the line: everything goes.
    const oldLine = await inspection(acme, { daysAgo: 40 });
    const oldLineImage = await t.database.db.image.findUniqueOrThrow({ where: { id: await imageIdOf(oldLine) } });
    // Expired, of a dataset image: the inspection goes, the image stays.
    const datasetImage = await storeImage(acme, { label: 'QUALIFIED', split: 'TRAIN' });
    const oldOfDataset = await inspection(acme, { imageId: datasetImage.id, daysAgo: 40 });
    // Expired, of a line image a reviewer put into the test set (the Review page's D key).
    const oldReviewed = await inspection(acme, { daysAgo: 45 });
    const reviewedImageId = await imageIdOf(oldReviewed);
    const admin = { token: acmeAdmin };
    expect((await t.gql('mutation($id: ID!) { labelImage(id: $id, label: DEFECTIVE) { id } }', { id: reviewedImageId }, admin)).json.errors).toBeUndefined();
    expect((await t.gql('mutation($id: ID!) { assignImageSplit(ids: [$id], split: TEST) }', { id: reviewedImageId }, admin)).json.errors).toBeUndefined();
    // A line image inspected long ago and again recently: the old inspection goes, the image stays.
    const oldShared = await inspection(acme, { daysAgo: 50 });
    const sharedImageId = await imageIdOf(oldShared);
    const recentShared = await inspection(acme, { imageId: sharedImageId, daysAgo: 2 });
    // Kept: recent, not answered yet, and in a lot that is still open.
    const recent = await inspection(acme, { daysAgo: 29 });
    const unanswered = await inspection(acme, { daysAgo: 60, answered: false });
    const lot = await createLot(t.database.db, acme.factoryId, { productId: await productOf(acme), name: 'Open lot' });
    const inOpenLot = await inspection(acme, { daysAgo: 60, lotId: lot.id });
    // Another factory without retention keeps its old inspections.
    const otherOld = await inspection(other, { daysAgo: 400 });

    const totals = await retention();
    expect(totals).toMatchObject({ inspections: 4, images: 1, failed: [] });

    const gone = [oldLine, oldOfDataset, oldReviewed, oldShared];
    const kept = [recentShared, recent, unanswered, inOpenLot];
    const acmeListed = await listed(acme);
    expect(gone.filter((id) => acmeListed.has(id))).toEqual([]);
    expect(kept.filter((id) => !acmeListed.has(id))).toEqual([]);
    expect(await listed(other)).toContain(otherOld);
    for (const id of gone) expect(errorCode(await t.gql('query($id: ID!) { inspection(id: $id) { id } }', { id }, admin))).toBe('NOT_FOUND');

    // Blobs: the expired inspections' folders and the line image are gone; the rest is there.
    expect(await exists([...gone.flatMap((id) => pictures(acme, id)), oldLineImage.blobKey])).toEqual(Array(gone.length * 4 + 1).fill(false));
    expect(errorCode(await t.gql('query($id: ID!) { image(id: $id) { id } }', { id: oldLineImage.id }, admin))).toBe('NOT_FOUND');
    for (const id of [datasetImage.id, reviewedImageId, sharedImageId]) {
      const res = await t.gql('query($id: ID!) { image(id: $id) { id url } }', { id }, admin);
      expect(res.json.errors, id).toBeUndefined();
      expect((await fetch(res.json.data!.image.url)).status, id).toBe(200);
    }
    expect(await exists([...pictures(acme, recent), ...pictures(acme, recentShared), ...pictures(acme, inOpenLot), ...pictures(other, otherOld)])).not.toContain(false);
    await everyRowHasItsBlobs(acme);
    expect(await pending(acme)).toBe(0);

    // Admins see what went in the audit log.
    const audit = await t.gql('{ auditLog(first: 1, action: "retention") { edges { node { actorType details } } } }', {}, admin);
    expect(audit.json.data!.auditLog.edges[0].node).toEqual({ actorType: 'SYSTEM', details: { retentionDays: 30, inspections: 4, images: 1, blobs: 17 } });

    // Nothing left to do: a second pass deletes nothing.
    expect(await retention()).toMatchObject({ inspections: 0, images: 0, blobs: 0 });
  });

  it('finishes in the next run what a run cut off by the storage going away left, and no row ever names a missing blob', async () => {
    const expired = [await inspection(acme, { daysAgo: 31 }), await inspection(acme, { daysAgo: 32 }), await inspection(acme, { daysAgo: 33 })];
    const lineImages = await t.database.db.image.findMany({ where: { inspections: { some: { id: { in: expired } } } }, select: { blobKey: true } });
    const blobs = [...expired.flatMap((id) => pictures(acme, id)), ...lineImages.map((i) => i.blobKey)];
    const keep = await inspection(acme, { daysAgo: 1 });

    await s3.stop();
    const cut = await retention();
    expect(cut.failed).toEqual([acme.factoryId]);
    expect(logs.join('\n')).toMatch(new RegExp(`factory ${acme.factoryId}: stopped`));
    // The first batch's rows (batches of 2, oldest first) went before their blobs: the API no
    // longer shows them; the run stopped there, so the third is still listed, blobs and all...
    const during = await listed(acme);
    expect(expired.map((id) => during.has(id))).toEqual([true, false, false]);
    expect(during).toContain(keep);

    await s3.restart();
    // ...their blobs are still there, each named by a pending deletion (none is lost track of),
    // and every row that is left still has its blobs.
    expect(await exists(blobs)).not.toContain(false);
    expect(await pending(acme)).toBeGreaterThan(0);
    await everyRowHasItsBlobs(acme);

    const next = await retention();
    expect(next.failed).toEqual([]);
    expect(next.blobs).toBeGreaterThanOrEqual(blobs.length);
    expect(await exists(blobs)).toEqual(blobs.map(() => false));
    expect(await pending(acme)).toBe(0);
    expect(await exists(pictures(acme, keep))).not.toContain(false);
    await everyRowHasItsBlobs(acme);
  });
});
