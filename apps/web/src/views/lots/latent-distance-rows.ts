import type { LatentDistancesQuery } from '@gansight/client';

type ModelNode = LatentDistancesQuery['models']['edges'][number]['node'];
type LotNode = LatentDistancesQuery['lots']['edges'][number]['node'];

export interface LatentDistanceRow {
  key: string;
  kind: 'generated' | 'defect type' | 'lot';
  name: string;
  /** Images (or latents) the distance was measured over; null when unknown. */
  count: number | null;
  frechet: number | null;
}

interface PerDefectEntry {
  name: string;
  count: number;
  frechet: number | null;
}

/**
 * The paper's Tables I and II for one model, with the product's lots beside them: every row is
 * a set of latent codes measured against the same qualified reference (the model's), so a lot's
 * drift reads against the distances of known defect types. Lots measured against another model
 * are left out: their distances have another reference.
 */
export function latentDistanceRows(model: ModelNode, lots: LotNode[]): LatentDistanceRow[] {
  const metrics = (model.metrics ?? {}) as { generatorFrechet?: number | null };
  const evaluation = model.evaluations.edges.map((e) => e.node).find((e) => e.status === 'SUCCEEDED');
  const perDefect = (evaluation?.perDefect ?? {}) as Record<string, PerDefectEntry>;
  const rows: LatentDistanceRow[] = [{ key: 'generated', kind: 'generated', name: `Generated samples (model v${model.version})`, count: null, frechet: metrics.generatorFrechet ?? null }];
  // Qualified test images first (the reference's own spread), then defect types by name.
  const groups = Object.entries(perDefect).sort(([a, x], [b, y]) => (a === 'good' ? -1 : b === 'good' ? 1 : x.name.localeCompare(y.name)));
  for (const [key, d] of groups) rows.push({ key: `type-${key}`, kind: 'defect type', name: key === 'good' ? 'Qualified test images' : d.name, count: d.count, frechet: d.frechet });
  for (const lot of lots.filter((l) => l.modelId === model.id && l.frechetDistance != null)) {
    rows.push({ key: `lot-${lot.id}`, kind: 'lot', name: lot.name, count: lot.imageCount, frechet: lot.frechetDistance ?? null });
  }
  return rows;
}
