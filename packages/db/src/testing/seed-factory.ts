import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../client';
import { bootstrapFactory } from '../repositories/factories';
import { createProduct } from '../repositories/products';
import { createDefectType } from '../repositories/defect-types';
import { createImage } from '../repositories/images';
import { activateModel, createModel, updateModel } from '../repositories/models';
import { createTrainingRun } from '../repositories/training-runs';
import { createLot } from '../repositories/lots';
import { createInspection } from '../repositories/inspections';
import { createEvaluation } from '../repositories/evaluations';
import { recordAudit } from '../repositories/audit-log';

export interface SeededFactory {
  factoryId: string;
  slug: string;
  adminUserId: string;
  apiKeyId: string;
  apiKeyPrefix: string;
  productId: string;
  productSlug: string;
  defectTypeId: string;
  /** A qualified TRAIN image and a defective TEST image. */
  imageIds: [string, string];
  modelId: string;
  trainingRunId: string;
  lotId: string;
  inspectionId: string;
  idempotencyKey: string;
  evaluationId: string;
  auditLogId: string;
}

/**
 * A factory with one of everything (product, defect type, two images, an active READY model,
 * training run, lot, inspection, evaluation, audit entry), for tests that need realistic rows.
 */
export async function seedFactory(db: Db, tag: string = randomBytes(4).toString('hex')): Promise<SeededFactory> {
  const apiKeyPrefix = `gk_${tag}`;
  const boot = await bootstrapFactory(db, {
    name: `Factory ${tag}`,
    slug: `factory-${tag}`,
    admin: { email: `admin-${tag}@example.com`, name: `Admin ${tag}`, passwordHash: `hash-${tag}` },
    apiKey: { name: 'line integration', prefix: apiKeyPrefix, secretHash: `secret-${tag}`, scopes: ['inspect:write'] },
  });
  const f = boot.factoryId;
  const productSlug = `panel-${tag}`;
  const product = await createProduct(db, f, { name: `Panel ${tag}`, slug: productSlug, imageSize: 64, channels: 1 });
  const defect = await createDefectType(db, f, product.id, { name: 'crack' });
  const image = (n: number, label: 'QUALIFIED' | 'DEFECTIVE') =>
    createImage(db, f, {
      productId: product.id,
      blobKey: `factories/${f}/images/${n}.png`,
      sha256: createHash('sha256').update(`${tag}-${n}`).digest('hex'),
      width: 64,
      height: 64,
      contentType: 'image/png',
      byteSize: 1000 + n,
      label,
      defectTypeId: label === 'DEFECTIVE' ? defect.id : null,
      split: label === 'QUALIFIED' ? 'TRAIN' : 'TEST',
      line: 'L1',
    });
  const good = (await image(1, 'QUALIFIED')).image;
  const bad = (await image(2, 'DEFECTIVE')).image;
  const model = await createModel(db, f, { productId: product.id, hyperParameters: { steps: 10 } });
  await updateModel(db, f, model.id, { status: 'READY', threshold: 0.5, generatorKey: `factories/${f}/models/g` });
  await activateModel(db, f, model.id);
  const run = await createTrainingRun(db, f, { modelId: model.id, totalSteps: 10 });
  const lot = await createLot(db, f, { productId: product.id, name: `Lot ${tag}`, externalId: `ext-${tag}` });
  const idempotencyKey = 'same-key-in-every-factory';
  const { inspection } = await createInspection(db, f, { imageId: bad.id, lotId: lot.id, idempotencyKey });
  const evaluation = await createEvaluation(db, f, { modelId: model.id });
  const audit = await recordAudit(db, f, {
    actor: { type: 'USER', userId: boot.adminUserId },
    action: 'factory.seeded',
    targetType: 'Factory',
    targetId: f,
  });
  return {
    factoryId: f,
    slug: boot.slug,
    adminUserId: boot.adminUserId,
    apiKeyId: boot.apiKeyId,
    apiKeyPrefix,
    productId: product.id,
    productSlug,
    defectTypeId: defect.id,
    imageIds: [good.id, bad.id],
    modelId: model.id,
    trainingRunId: run.id,
    lotId: lot.id,
    inspectionId: inspection.id,
    idempotencyKey,
    evaluationId: evaluation.id,
    auditLogId: audit.id,
  };
}
