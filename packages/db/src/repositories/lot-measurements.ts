import type { Db } from '../client';
import { NotFoundError } from '../errors';

// The worker's side of a lot: which of its inspections are still pending or done, and the one
// write of its set-level Frechet distance once it is closed.

export interface LotInspectionStates {
  /** Inspections still QUEUED or RUNNING. */
  pending: number;
  /** DONE inspections, oldest first. */
  done: { id: string; modelId: string; imageId: string }[];
}

export async function lotInspectionStates(db: Db, factoryId: string, lotId: string): Promise<LotInspectionStates> {
  const lot = await db.lot.findFirst({ where: { id: lotId, factoryId }, select: { id: true } });
  if (!lot) throw new NotFoundError('Lot', lotId);
  const rows = await db.inspection.findMany({
    where: { factoryId, lotId },
    select: { id: true, modelId: true, imageId: true, status: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return {
    pending: rows.filter((r) => r.status === 'QUEUED' || r.status === 'RUNNING').length,
    done: rows.filter((r) => r.status === 'DONE').map(({ id, modelId, imageId }) => ({ id, modelId, imageId })),
  };
}

/**
 * Stores a closed lot's Frechet distance and the model it was measured against, only if none is
 * stored yet: two measurements racing write once. Returns whether this call wrote it.
 */
export async function recordLotFrechetDistance(
  db: Db,
  factoryId: string,
  lotId: string,
  m: { modelId: string; frechetDistance: number },
): Promise<boolean> {
  const { count } = await db.lot.updateMany({
    where: { id: lotId, factoryId, status: 'CLOSED', frechetDistance: null },
    data: { modelId: m.modelId, frechetDistance: m.frechetDistance, measurementSettledAt: new Date() },
  });
  return count === 1;
}

/**
 * Marks a closed lot's measurement settled without a distance (too few inspected images, a model
 * it cannot be measured against): workers then stop queueing it again (ADR 0060).
 */
export async function settleLotMeasurement(db: Db, factoryId: string, lotId: string): Promise<void> {
  await db.lot.updateMany({ where: { id: lotId, factoryId, status: 'CLOSED', measurementSettledAt: null }, data: { measurementSettledAt: new Date() } });
}
