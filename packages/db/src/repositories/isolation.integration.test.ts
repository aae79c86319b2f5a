// Two factories side by side: every data function called with factory A's id and factory B's
// row ids must behave as if those rows did not exist, and must leave B's rows untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, seedFactory, type SeededFactory, type TestDatabase } from '../testing';
import type { Db } from '../client';
import * as api from '../index';

let t: TestDatabase;
let db: Db;
let a: SeededFactory;
let b: SeededFactory;

/** Everything factory B owns, read directly (the test may; other packages may not). */
async function snapshotOf(factoryId: string) {
  const where = { where: { factoryId } };
  return {
    factory: await db.factory.findUnique({ where: { id: factoryId } }),
    memberships: await db.membership.findMany(where),
    apiKeys: await db.apiKey.findMany(where),
    products: await db.product.findMany(where),
    defectTypes: await db.defectType.findMany(where),
    images: await db.image.findMany({ ...where, orderBy: { id: 'asc' } }),
    models: await db.model.findMany(where),
    trainingRuns: await db.trainingRun.findMany(where),
    lots: await db.lot.findMany(where),
    inspections: await db.inspection.findMany(where),
    evaluations: await db.evaluation.findMany(where),
    interpolations: await db.latentInterpolation.findMany(where),
    auditLogs: await db.auditLog.findMany(where),
  };
}

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  a = await seedFactory(db, 'a');
  b = await seedFactory(db, 'b');
});
afterAll(async () => {
  await t.drop();
});

async function expectNotFound(call: Promise<unknown>) {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'expected NOT_FOUND, got a result').not.toBeNull();
  expect(err).toBeInstanceOf(api.NotFoundError);
  expect((err as api.NotFoundError).code).toBe('NOT_FOUND');
}

describe('tenant isolation', () => {
  it('the seeded factories really are separate and complete', async () => {
    expect(a.factoryId).not.toBe(b.factoryId);
    expect((await snapshotOf(b.factoryId)).inspections).toHaveLength(1);
    expect((await api.getProduct(db, b.factoryId, b.productId)).id).toBe(b.productId);
  });

  it("reads with A's id never return B's rows", async () => {
    const A = a.factoryId;
    await expectNotFound(api.getProduct(db, A, b.productId));
    await expectNotFound(api.getProductBySlug(db, A, b.productSlug));
    await expectNotFound(api.getDefectType(db, A, b.defectTypeId));
    await expectNotFound(api.getImage(db, A, b.imageIds[0]));
    await expectNotFound(api.getModel(db, A, b.modelId));
    await expectNotFound(api.getActiveModel(db, A, b.productId));
    await expectNotFound(api.getTrainingRun(db, A, b.trainingRunId));
    await expectNotFound(api.getLot(db, A, b.lotId));
    await expectNotFound(api.getInspection(db, A, b.inspectionId));
    await expectNotFound(api.getEvaluation(db, A, b.evaluationId));
    await expectNotFound(api.getApiKey(db, A, b.apiKeyId));

    expect(await api.listDefectTypes(db, A, b.productId)).toEqual([]);
    expect((await api.listImages(db, A, { productId: b.productId })).items).toEqual([]);
    expect((await api.listImages(db, A, { defectTypeId: b.defectTypeId })).items).toEqual([]);
    expect(await api.countImages(db, A, { productId: b.productId })).toBe(0);
    expect(await api.listModels(db, A, { productId: b.productId })).toEqual([]);
    expect(await api.listTrainingRuns(db, A, b.modelId)).toEqual([]);
    expect((await api.listLots(db, A, { productId: b.productId })).items).toEqual([]);
    expect((await api.listInspections(db, A, { productId: b.productId })).items).toEqual([]);
    expect((await api.listInspections(db, A, { lotId: b.lotId })).items).toEqual([]);
    expect((await api.listInspections(db, A, { imageId: b.imageIds[1] })).items).toEqual([]);
    expect(await api.countInspections(db, A, { modelId: b.modelId })).toBe(0);
    expect(await api.listEvaluations(db, A, { modelId: b.modelId })).toEqual([]);
    // The per-model pages of the model card: B's model has a run and an evaluation, A sees neither.
    expect((await api.listTrainingRunPages(db, b.factoryId, [b.modelId])).get(b.modelId)!.items).toHaveLength(1);
    expect((await api.listTrainingRunPages(db, A, [b.modelId, a.modelId])).get(b.modelId)!.items).toEqual([]);
    expect((await api.listEvaluationPages(db, b.factoryId, [b.modelId])).get(b.modelId)!.items).toHaveLength(1);
    expect((await api.listEvaluationPages(db, A, [b.modelId, a.modelId])).get(b.modelId)!.items).toEqual([]);
    expect((await api.listLots(db, A, { productId: b.productId, createdAfter: new Date(0) })).items).toEqual([]);
    expect(await api.getMembership(db, A, b.adminUserId)).toBeNull();
    await expectNotFound(api.listDefectTypesPage(db, A, b.productId));
    expect((await api.listProductsPage(db, A, { includeArchived: true })).items.map((p) => p.id)).toEqual([a.productId]);
    expect(await api.countMembersWithRole(db, A, 'ADMIN')).toBe(1);

    // Unfiltered lists hold exactly A's own rows.
    const ownIds = (rows: { factoryId: string }[]) => new Set(rows.map((r) => r.factoryId));
    expect(ownIds(await api.listProducts(db, A))).toEqual(new Set([A]));
    expect(ownIds((await api.listImages(db, A)).items)).toEqual(new Set([A]));
    expect(ownIds(await api.listModels(db, A))).toEqual(new Set([A]));
    expect(ownIds((await api.listLots(db, A)).items)).toEqual(new Set([A]));
    expect(ownIds((await api.listInspections(db, A)).items)).toEqual(new Set([A]));
    expect(ownIds(await api.listEvaluations(db, A))).toEqual(new Set([A]));
    expect(ownIds((await api.listTrainingRunPages(db, A, [a.modelId])).get(a.modelId)!.items)).toEqual(new Set([A]));
    expect(ownIds((await api.listLots(db, A, { createdAfter: new Date(0), createdBefore: new Date(Date.now() + 60_000) })).items)).toEqual(new Set([A]));
    expect(ownIds(await api.listApiKeys(db, A))).toEqual(new Set([A]));
    expect(ownIds((await api.listAuditLog(db, A)).items)).toEqual(new Set([A]));
    expect((await api.listMembers(db, A)).map((m) => m.userId)).toEqual([a.adminUserId]);
  });

  it("writes with A's id and B's row ids fail as NOT_FOUND and change nothing of B", async () => {
    const A = a.factoryId;
    const before = await snapshotOf(b.factoryId);

    await expectNotFound(api.updateProduct(db, A, b.productId, { name: 'hijacked', archived: true }));
    await expectNotFound(api.updateDefectType(db, A, b.defectTypeId, { name: 'hijacked' }));
    await expectNotFound(api.createDefectType(db, A, b.productId, { name: 'planted' }));
    await expectNotFound(api.updateImage(db, A, b.imageIds[0], { label: 'DEFECTIVE' }));
    await expectNotFound(api.updateImage(db, A, a.imageIds[0], { defectTypeId: b.defectTypeId }));
    expect(await api.assignSplit(db, A, [...b.imageIds], 'VALIDATION')).toBe(0);
    await expectNotFound(api.deleteImage(db, A, b.imageIds[0]));
    await expectNotFound(
      api.createImage(db, A, {
        productId: b.productId,
        blobKey: 'x',
        sha256: 'f'.repeat(64),
        width: 1,
        height: 1,
        contentType: 'image/png',
        byteSize: 1,
      }),
    );
    await expectNotFound(
      api.createImage(db, A, {
        productId: a.productId,
        defectTypeId: b.defectTypeId,
        blobKey: 'x',
        sha256: 'e'.repeat(64),
        width: 1,
        height: 1,
        contentType: 'image/png',
        byteSize: 1,
      }),
    );
    await expectNotFound(api.createModel(db, A, { productId: b.productId }));
    await expectNotFound(api.updateModel(db, A, b.modelId, { status: 'FAILED' }));
    await expectNotFound(api.activateModel(db, A, b.modelId));
    await expectNotFound(api.createTrainingRun(db, A, { modelId: b.modelId, totalSteps: 1 }));
    await expectNotFound(api.updateTrainingRun(db, A, b.trainingRunId, { status: 'CANCELLED' }));
    await expectNotFound(api.createLot(db, A, { productId: b.productId, name: 'planted' }));
    await expectNotFound(api.updateLot(db, A, b.lotId, { status: 'CLOSED' }));
    await expectNotFound(api.updateLot(db, A, a.lotId, { modelId: b.modelId }));
    await expectNotFound(api.refreshLotCounts(db, A, b.lotId));
    await expectNotFound(api.createInspection(db, A, { imageId: b.imageIds[0] }));
    await expectNotFound(api.createInspection(db, A, { imageId: a.imageIds[0], modelId: b.modelId }));
    await expectNotFound(api.createInspection(db, A, { imageId: a.imageIds[0], lotId: b.lotId }));
    await expectNotFound(api.recordInspectionResult(db, A, b.inspectionId, { status: 'FAILED' }));
    await expectNotFound(
      api.reviewInspection(db, A, b.inspectionId, { verdict: 'PASS', reviewedById: a.adminUserId }),
    );
    await expectNotFound(api.createEvaluation(db, A, { modelId: b.modelId }));
    await expectNotFound(api.recordEvaluationResult(db, A, b.evaluationId, { status: 'FAILED' }));
    await expectNotFound(api.revokeApiKey(db, A, b.apiKeyId));
    await expectNotFound(api.touchApiKey(db, A, b.apiKeyId));
    await expectNotFound(api.removeMembership(db, A, b.adminUserId));

    expect(await snapshotOf(b.factoryId)).toEqual(before);
  });

  it("latent interpolations: A can neither read, write nor create one from B's model or images", async () => {
    const A = a.factoryId;
    const mine = await api.createLatentInterpolation(db, b.factoryId, { modelId: b.modelId, fromImageId: b.imageIds[0], toImageId: b.imageIds[1], steps: 4 });
    const before = await snapshotOf(b.factoryId);
    await expectNotFound(api.getLatentInterpolation(db, A, mine.id));
    await expectNotFound(api.recordLatentInterpolationResult(db, A, mine.id, { status: 'FAILED' }));
    await expectNotFound(api.createLatentInterpolation(db, A, { modelId: b.modelId, fromImageId: a.imageIds[0], toImageId: a.imageIds[1], steps: 4 }));
    await expectNotFound(api.createLatentInterpolation(db, A, { modelId: a.modelId, fromImageId: b.imageIds[0], toImageId: a.imageIds[1], steps: 4 }));
    expect(await api.listLatentInterpolations(db, A, b.modelId, { limit: 10 })).toEqual([]);
    expect(await api.findLatentInterpolation(db, A, { modelId: b.modelId, fromImageId: b.imageIds[0], toImageId: b.imageIds[1], steps: 4 })).toBeNull();
    expect(await api.discardQueuedLatentInterpolation(db, A, mine.id)).toBe(false);
    expect(await snapshotOf(b.factoryId)).toEqual(before);
  });

  it("an idempotency key B used does not hand B's inspection to A", async () => {
    expect(a.idempotencyKey).toBe(b.idempotencyKey);
    const again = await api.createInspection(db, a.factoryId, { imageId: a.imageIds[0], idempotencyKey: b.idempotencyKey });
    expect(again.created).toBe(false);
    expect(again.inspection.id).toBe(a.inspectionId); // A's own, earlier inspection
    expect(again.inspection.factoryId).toBe(a.factoryId);
    const fresh = await api.createInspection(db, a.factoryId, { imageId: a.imageIds[0], idempotencyKey: 'only-in-b' });
    const inB = await api.createInspection(db, b.factoryId, { imageId: b.imageIds[0], idempotencyKey: 'only-in-b' });
    expect(fresh.created && inB.created).toBe(true);
    expect(fresh.inspection.id).not.toBe(inB.inspection.id);
  });

  it('the database itself refuses a row that mixes two factories', async () => {
    // Bypassing the repositories: the composite foreign keys still hold.
    await expect(
      db.image.create({
        data: {
          factoryId: a.factoryId,
          productId: b.productId,
          blobKey: 'x',
          sha256: 'd'.repeat(64),
          width: 1,
          height: 1,
          contentType: 'image/png',
          byteSize: 1,
        },
      }),
    ).rejects.toMatchObject({ code: 'P2003' });
    await expect(
      db.inspection.create({
        data: { factoryId: a.factoryId, productId: a.productId, modelId: b.modelId, imageId: a.imageIds[0] },
      }),
    ).rejects.toMatchObject({ code: 'P2003' });
  });

  it('API key lookup by prefix tells which factory a key belongs to', async () => {
    expect((await api.findApiKeyByPrefix(db, b.apiKeyPrefix))?.factoryId).toBe(b.factoryId);
    expect((await api.findApiKeyByPrefix(db, a.apiKeyPrefix))?.factoryId).toBe(a.factoryId);
    expect(await api.findApiKeyByPrefix(db, 'gk_nobody')).toBeNull();
  });
});
