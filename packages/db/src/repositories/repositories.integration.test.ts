import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, seedFactory, type TestDatabase } from '../testing';
import type { Db } from '../client';
import * as api from '../index';

let t: TestDatabase;
let db: Db;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => {
  await t.drop();
});

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('bootstrapFactory', () => {
  it('creates factory, admin membership and API key together', async () => {
    const out = await api.bootstrapFactory(db, {
      name: 'Ödland Solar GmbH',
      admin: { email: ' Boss@Example.COM ', passwordHash: 'h' },
      apiKey: { name: 'line 1', prefix: 'gk_odland', secretHash: 's', scopes: ['inspect:write', 'results:read'] },
    });
    expect(out.slug).toBe('odland-solar-gmbh');
    const user = await api.findUserByEmail(db, 'boss@example.com');
    expect(user?.id).toBe(out.adminUserId);
    expect((await api.getMembership(db, out.factoryId, out.adminUserId))?.role).toBe('ADMIN');
    const memberships = await api.listMembershipsForUser(db, out.adminUserId);
    expect(memberships.map((m) => m.factory.slug)).toEqual(['odland-solar-gmbh']);
    const key = await api.findApiKeyByPrefix(db, 'gk_odland');
    expect(key).toMatchObject({ factoryId: out.factoryId, secretHash: 's', scopes: ['inspect:write', 'results:read'] });
    expect(await api.listApiKeys(db, out.factoryId)).toEqual([expect.not.objectContaining({ secretHash: expect.anything() })]);
  });

  it('is all or nothing: a taken slug leaves no user or key behind', async () => {
    await api.bootstrapFactory(db, {
      name: 'Taken',
      admin: { email: 'first@example.com', passwordHash: 'h' },
      apiKey: { name: 'k', prefix: 'gk_taken1', secretHash: 's', scopes: [] },
    });
    const err = await api
      .bootstrapFactory(db, {
        name: 'Taken',
        admin: { email: 'second@example.com', passwordHash: 'h' },
        apiKey: { name: 'k', prefix: 'gk_taken2', secretHash: 's', scopes: [] },
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFLICT' });
    expect(await api.findUserByEmail(db, 'second@example.com')).toBeNull();
    expect(await api.findApiKeyByPrefix(db, 'gk_taken2')).toBeNull();
  });

  it('an existing user becomes admin of a second factory', async () => {
    const first = await api.bootstrapFactory(db, {
      name: 'Two A',
      admin: { email: 'multi@example.com', passwordHash: 'h' },
      apiKey: { name: 'k', prefix: 'gk_twoa', secretHash: 's', scopes: [] },
    });
    const second = await api.bootstrapFactory(db, {
      name: 'Two B',
      admin: { email: 'multi@example.com', passwordHash: 'other' },
      apiKey: { name: 'k', prefix: 'gk_twob', secretHash: 's', scopes: [] },
    });
    expect(second.adminUserId).toBe(first.adminUserId);
    expect((await api.listMembershipsForUser(db, first.adminUserId)).map((m) => m.factoryId)).toEqual([
      first.factoryId,
      second.factoryId,
    ]);
    expect((await api.getUser(db, first.adminUserId)).passwordHash).toBe('h'); // not overwritten
  });
});

describe('products, images and pagination', () => {
  it('validates product shape and slugs per factory', async () => {
    const s = await seedFactory(db);
    await expect(api.createProduct(db, s.factoryId, { name: 'x', imageSize: 64, channels: 2 as 1 })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    await expect(
      api.createProduct(db, s.factoryId, { name: 'dup', slug: s.productSlug, imageSize: 64, channels: 1 }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const updated = await api.updateProduct(db, s.factoryId, s.productId, { name: 'Renamed', archived: true });
    expect(updated.archivedAt).toBeInstanceOf(Date);
    expect(await api.listProducts(db, s.factoryId)).toEqual([]);
    expect(await api.listProducts(db, s.factoryId, { includeArchived: true })).toHaveLength(1);
  });

  it('stores the same bytes once per product', async () => {
    const s = await seedFactory(db);
    const input = {
      productId: s.productId,
      blobKey: 'k',
      sha256: sha('dupe'),
      width: 64,
      height: 64,
      contentType: 'image/png',
      byteSize: 10,
    };
    const first = await api.createImage(db, s.factoryId, input);
    const second = await api.createImage(db, s.factoryId, { ...input, blobKey: 'other' });
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ created: false, image: { id: first.image.id, blobKey: 'k' } });
  });

  it('lists images newest first, filtered, a page at a time', async () => {
    const s = await seedFactory(db);
    for (let i = 0; i < 7; i++) {
      await api.createImage(db, s.factoryId, {
        productId: s.productId,
        blobKey: `k${i}`,
        sha256: sha(`page-${i}`),
        width: 64,
        height: 64,
        contentType: 'image/png',
        byteSize: i,
        label: 'QUALIFIED',
        split: 'VALIDATION',
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: api.Page<api.Image> = await api.listImages(
        db,
        s.factoryId,
        { productId: s.productId, split: 'VALIDATION', label: ['QUALIFIED'] },
        { limit: 3, cursor },
      );
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((i) => i.blobKey));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['k6', 'k5', 'k4', 'k3', 'k2', 'k1', 'k0']);
    expect(await api.countImages(db, s.factoryId, { split: 'VALIDATION' })).toBe(7);
    await expect(api.listImages(db, s.factoryId, {}, { cursor: 'garbage' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(api.listImages(db, s.factoryId, {}, { limit: 0 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it("refuses a defect type of another product in the same factory", async () => {
    const s = await seedFactory(db);
    const other = await api.createProduct(db, s.factoryId, { name: 'Other', imageSize: 32, channels: 3 });
    const foreign = await api.createDefectType(db, s.factoryId, other.id, { name: 'scratch' });
    await expect(api.updateImage(db, s.factoryId, s.imageIds[0], { defectTypeId: foreign.id })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    const labelled = await api.updateImage(db, s.factoryId, s.imageIds[0], { label: 'DEFECTIVE', defectTypeId: s.defectTypeId });
    expect(labelled).toMatchObject({ label: 'DEFECTIVE', defectTypeId: s.defectTypeId });
  });
});

describe('models', () => {
  it('numbers versions per product, also under concurrency', async () => {
    const s = await seedFactory(db); // already has v1
    const made = await Promise.all([1, 2, 3, 4].map(() => api.createModel(db, s.factoryId, { productId: s.productId })));
    expect(made.map((m) => m.version).sort()).toEqual([2, 3, 4, 5]);
    expect(made.every((m) => m.status === 'QUEUED')).toBe(true);
  });

  it('activates only READY models, one per product', async () => {
    const s = await seedFactory(db);
    const next = await api.createModel(db, s.factoryId, { productId: s.productId });
    await expect(api.activateModel(db, s.factoryId, next.id)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await api.updateModel(db, s.factoryId, next.id, { status: 'READY', threshold: 0.7 });
    await api.activateModel(db, s.factoryId, next.id);
    expect((await api.getActiveModel(db, s.factoryId, s.productId))?.id).toBe(next.id);
    const active = (await api.listModels(db, s.factoryId, { productId: s.productId })).filter((m) => m.isActive);
    expect(active.map((m) => m.id)).toEqual([next.id]);
  });
});

describe('inspections and lots', () => {
  it('uses the active model, and an idempotency key returns the first inspection', async () => {
    const s = await seedFactory(db);
    const first = await api.createInspection(db, s.factoryId, { imageId: s.imageIds[0], idempotencyKey: 'req-1' });
    expect(first).toMatchObject({ created: true, inspection: { modelId: s.modelId, status: 'QUEUED' } });
    const repeats = await Promise.all(
      [1, 2, 3].map(() => api.createInspection(db, s.factoryId, { imageId: s.imageIds[1], idempotencyKey: 'req-1' })),
    );
    expect(repeats.every((r) => !r.created && r.inspection.id === first.inspection.id)).toBe(true);
    const racing = await Promise.all(
      [1, 2, 3].map(() => api.createInspection(db, s.factoryId, { imageId: s.imageIds[1], idempotencyKey: 'req-2' })),
    );
    expect(new Set(racing.map((r) => r.inspection.id)).size).toBe(1);
    expect(racing.filter((r) => r.created)).toHaveLength(1);
  });

  it('records results and reviews, and counts a lot', async () => {
    const s = await seedFactory(db);
    const { inspection } = await api.createInspection(db, s.factoryId, { imageId: s.imageIds[0], lotId: s.lotId });
    const done = await api.recordInspectionResult(db, s.factoryId, inspection.id, {
      status: 'DONE',
      reconstructionLoss: 0.1,
      latentDistance: 2.5,
      anomalyScore: 0.3,
      normalizedScore: 0.2,
      threshold: 0.5,
      verdict: 'PASS',
      timings: { inversionMs: 120 },
      completedAt: new Date(),
    });
    expect(done).toMatchObject({ status: 'DONE', verdict: 'PASS' });
    await api.recordInspectionResult(db, s.factoryId, s.inspectionId, { status: 'DONE', verdict: 'FAIL' });
    const reviewed = await api.reviewInspection(db, s.factoryId, inspection.id, {
      verdict: 'FAIL',
      reviewedById: s.adminUserId,
      note: 'hairline crack',
    });
    expect(reviewed).toMatchObject({ reviewVerdict: 'FAIL', reviewNote: 'hairline crack' });
    const lot = await api.refreshLotCounts(db, s.factoryId, s.lotId);
    expect(lot).toMatchObject({ imageCount: 2, passCount: 1, failCount: 1 });
    const fails = await api.listInspections(db, s.factoryId, { lotId: s.lotId, verdict: 'FAIL' });
    expect(fails.items.map((i) => i.id)).toEqual([s.inspectionId]);
  });

  it('without an active model says what to do', async () => {
    const s = await seedFactory(db);
    const p = await api.createProduct(db, s.factoryId, { name: 'Fresh', imageSize: 64, channels: 1 });
    const { image } = await api.createImage(db, s.factoryId, {
      productId: p.id,
      blobKey: 'b',
      sha256: sha('fresh'),
      width: 64,
      height: 64,
      contentType: 'image/png',
      byteSize: 1,
    });
    await expect(api.createInspection(db, s.factoryId, { imageId: image.id })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('no active model'),
    });
  });
});

describe('API keys and audit log', () => {
  it('revokes and touches keys', async () => {
    const s = await seedFactory(db);
    const at = new Date('2026-01-02T03:04:05.678Z');
    await api.touchApiKey(db, s.factoryId, s.apiKeyId, at);
    const revoked = await api.revokeApiKey(db, s.factoryId, s.apiKeyId);
    expect(revoked.lastUsedAt).toEqual(at);
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    const again = await api.revokeApiKey(db, s.factoryId, s.apiKeyId);
    expect(again.revokedAt).toEqual(revoked.revokedAt);
  });

  it('keeps an ordered audit trail', async () => {
    const s = await seedFactory(db);
    await api.recordAudit(db, s.factoryId, { actor: { type: 'API_KEY', apiKeyId: s.apiKeyId }, action: 'image.upload', details: { n: 1 } });
    const log = await api.listAuditLog(db, s.factoryId);
    expect(log.items.map((e) => e.action)).toEqual(['image.upload', 'factory.seeded']);
    expect(log.items[0]).toMatchObject({ actorType: 'API_KEY', actorApiKeyId: s.apiKeyId, details: { n: 1 } });
  });
});

describe('inspection trends', () => {
  it('counts verdicts per day, with reviews overriding the model, and only for this factory', async () => {
    const s = await seedFactory(db);
    const other = await seedFactory(db);
    const day = (d: number, h = 12) => new Date(Date.UTC(2026, 10, d, h));
    const make = async (at: Date, verdict: 'PASS' | 'FAIL' | null, status: 'DONE' | 'FAILED' = 'DONE') => {
      const { inspection } = await api.createInspection(db, s.factoryId, { imageId: s.imageIds[0] });
      await api.recordInspectionResult(db, s.factoryId, inspection.id, { status, ...(verdict ? { verdict } : {}) });
      await db.inspection.update({ where: { id: inspection.id }, data: { createdAt: at } });
      return inspection.id;
    };
    await make(day(1, 1), 'PASS');
    await make(day(1, 23), 'FAIL');
    const overridden = await make(day(2), 'FAIL');
    await api.reviewInspection(db, s.factoryId, overridden, { verdict: 'PASS', reviewedById: s.adminUserId });
    await make(day(2), null, 'FAILED');
    await make(day(9), 'FAIL'); // outside the range
    const trend = await api.inspectionTrend(db, s.factoryId, { from: day(1, 0), to: day(3, 0), bucket: 'day' });
    expect(trend).toEqual([
      { bucketStart: day(1, 0), total: 2, pass: 1, fail: 1, errored: 0 },
      { bucketStart: day(2, 0), total: 2, pass: 1, fail: 0, errored: 1 },
    ]);
    expect(await api.inspectionTrend(db, other.factoryId, { from: day(1, 0), to: day(3, 0), bucket: 'day' })).toEqual([]);
    expect(
      await api.inspectionTrend(db, other.factoryId, { from: day(1, 0), to: day(3, 0), bucket: 'day', productId: s.productId }),
    ).toEqual([]);
    await expect(
      api.inspectionTrend(db, s.factoryId, { from: day(3), to: day(1), bucket: 'day' }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
