import type { Db } from '../client';
import type { Inspection, InspectionStatus, Prisma, Verdict } from '../generated/prisma/client';
import { BadInputError, NotFoundError } from '../errors';
import { afterCursor, newestFirst, pageLimit, toPage, type Page, type PageRequest } from './pagination';
import { isUniqueViolation, translateWriteError, type JsonInput } from './prisma-errors';

export interface InspectionInput {
  imageId: string;
  /** Defaults to the product's active model. */
  modelId?: string;
  lotId?: string | null;
  idempotencyKey?: string | null;
  line?: string | null;
  station?: string | null;
}

/**
 * Queues an inspection of a stored image. With an idempotency key, repeating the request
 * returns the first inspection (`created: false`) instead of inspecting twice.
 */
export async function createInspection(
  db: Db,
  factoryId: string,
  input: InspectionInput,
): Promise<{ inspection: Inspection; created: boolean }> {
  const key = input.idempotencyKey ?? null;
  const existing = () => (key ? findInspectionByIdempotencyKey(db, factoryId, key) : null);
  const before = await existing();
  if (before) return { inspection: before, created: false };

  const image = await db.image.findFirst({ where: { id: input.imageId, factoryId }, select: { productId: true } });
  if (!image) throw new NotFoundError('Image', input.imageId);
  const modelId = await resolveInspectionTarget(db, factoryId, { productId: image.productId, modelId: input.modelId, lotId: input.lotId });
  try {
    const inspection = await db.inspection.create({
      data: {
        factoryId,
        productId: image.productId,
        modelId,
        imageId: input.imageId,
        lotId: input.lotId ?? null,
        idempotencyKey: key,
        line: input.line ?? null,
        station: input.station ?? null,
      },
    });
    return { inspection, created: true };
  } catch (err) {
    if (isUniqueViolation(err)) {
      const raced = await existing();
      if (raced) return { inspection: raced, created: false };
    }
    translateWriteError(err, { entity: 'Inspection' });
  }
}

/** The inspection submitted earlier under this idempotency key, or null. */
export async function findInspectionByIdempotencyKey(db: Db, factoryId: string, key: string): Promise<Inspection | null> {
  return db.inspection.findUnique({ where: { factoryId_idempotencyKey: { factoryId, idempotencyKey: key } } });
}

/**
 * The model an inspection of one of the product's images would use (the given one, else the
 * product's active one), after checking that it and the lot exist in this factory and belong
 * to that product. Callers that store something first (an uploaded image) call it before.
 */
export async function resolveInspectionTarget(
  db: Db,
  factoryId: string,
  target: { productId: string; modelId?: string | null; lotId?: string | null },
): Promise<string> {
  const modelId = target.modelId ?? (await activeModelId(db, factoryId, target.productId));
  const model = await db.model.findFirst({ where: { id: modelId, factoryId }, select: { productId: true } });
  if (!model) throw new NotFoundError('Model', modelId);
  if (model.productId !== target.productId) throw new BadInputError('The model was trained for another product');
  if (target.lotId) {
    const lot = await db.lot.findFirst({ where: { id: target.lotId, factoryId }, select: { productId: true } });
    if (!lot) throw new NotFoundError('Lot', target.lotId);
    if (lot.productId !== target.productId) throw new BadInputError('The lot belongs to another product');
  }
  return modelId;
}

async function activeModelId(db: Db, factoryId: string, productId: string): Promise<string> {
  const product = await db.product.findFirst({ where: { id: productId, factoryId }, select: { activeModelId: true } });
  if (!product?.activeModelId) throw new BadInputError('The product has no active model yet; train and activate one first');
  return product.activeModelId;
}

/**
 * One inspection of the factory, or NOT_FOUND. The API's hottest read: written as one raw
 * statement because a model query (`findFirst`) costs Prisma ~2 ms of CPU to compile and map
 * under load against ~0.7 ms for $queryRaw (docs/adr/0008, apps/api/bench/README.md); the
 * row is the same (the integration test compares them).
 */
export async function getInspection(db: Db, factoryId: string, inspectionId: string): Promise<Inspection> {
  const [found] = await db.$queryRaw<Inspection[]>`
    SELECT * FROM "Inspection" WHERE "id" = ${inspectionId} AND "factoryId" = ${factoryId}`;
  if (!found) throw new NotFoundError('Inspection', inspectionId);
  return found;
}

export interface InspectionFilter {
  productId?: string;
  modelId?: string;
  lotId?: string;
  imageId?: string;
  status?: InspectionStatus;
  verdict?: Verdict;
  line?: string;
  station?: string;
  createdAfter?: Date;
  createdBefore?: Date;
  /** true: a person reviewed it; false: not yet. */
  reviewed?: boolean;
  /** Bounds (inclusive) of the normalised score; inspections without a score never match them. */
  minScore?: number;
  maxScore?: number;
}

function inspectionWhere(factoryId: string, f: InspectionFilter): Prisma.InspectionWhereInput {
  return {
    factoryId,
    productId: f.productId,
    modelId: f.modelId,
    lotId: f.lotId,
    imageId: f.imageId,
    status: f.status,
    verdict: f.verdict,
    line: f.line,
    station: f.station,
    createdAt: { gte: f.createdAfter, lt: f.createdBefore },
    reviewVerdict: f.reviewed === undefined ? undefined : f.reviewed ? { not: null } : null,
    normalizedScore: { gte: f.minScore, lte: f.maxScore },
  };
}

/** Newest first, `limit` at a time. */
export async function listInspections(
  db: Db,
  factoryId: string,
  filter: InspectionFilter = {},
  page: PageRequest = {},
): Promise<Page<Inspection>> {
  const limit = pageLimit(page);
  const rows = await db.inspection.findMany({
    where: { AND: [inspectionWhere(factoryId, filter), afterCursor(page.cursor)] },
    orderBy: newestFirst,
    take: limit + 1,
  });
  return toPage(rows, limit);
}

export async function countInspections(db: Db, factoryId: string, filter: InspectionFilter = {}): Promise<number> {
  return db.inspection.count({ where: inspectionWhere(factoryId, filter) });
}

export interface InspectionResult {
  status: InspectionStatus;
  reconstructionLoss?: number;
  latentDistance?: number;
  latentFrechet?: number | null;
  featureLoss?: number | null;
  anomalyScore?: number;
  normalizedScore?: number;
  threshold?: number;
  verdict?: Verdict;
  reconstructionKey?: string;
  residualKey?: string;
  timings?: JsonInput;
  errorCode?: string | null;
  errorMessage?: string | null;
  startedAt?: Date;
  completedAt?: Date;
}

/** The worker's write path: progress, scores and verdict. */
export async function recordInspectionResult(
  db: Db,
  factoryId: string,
  inspectionId: string,
  result: InspectionResult,
): Promise<Inspection> {
  try {
    return await db.inspection.update({ where: { id: inspectionId, factoryId }, data: result });
  } catch (err) {
    translateWriteError(err, { entity: 'Inspection', id: inspectionId });
  }
}

/** A person overrides (or confirms) the verdict. */
export async function reviewInspection(
  db: Db,
  factoryId: string,
  inspectionId: string,
  review: { verdict: Verdict; reviewedById: string; note?: string | null },
): Promise<Inspection> {
  try {
    return await db.inspection.update({
      where: { id: inspectionId, factoryId },
      data: { reviewVerdict: review.verdict, reviewedById: review.reviewedById, reviewNote: review.note ?? null, reviewedAt: new Date() },
    });
  } catch (err) {
    translateWriteError(err, { entity: 'Inspection', id: inspectionId, reference: { entity: 'User', id: review.reviewedById } });
  }
}
