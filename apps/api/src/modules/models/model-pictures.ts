// Model.pictures: every picture the worker stored for a model (apps/worker's model-pictures.ts
// writes them to `metrics.pictures`), each with a URL signed for this query, so a model card
// read a day later still shows its pictures (the live training event's URL is gone by then).
import type { Model } from '@gansight/db';
import { parseBlobKey } from '@gansight/storage';
import type { ApiContext } from '../../context';
import { requireBlobs } from '../images/image-ingest';

const PICTURE_URL_SECONDS = 15 * 60;
/** The kinds the schema's ModelPictureKind knows; a newer worker's other kinds are left out. */
const KINDS = new Set(['SAMPLES', 'TSNE']);

interface StoredPicture {
  kind: string;
  step: number | null;
  name: string;
  key: string;
}

/** The pictures listed in a model's metrics; models trained before the list existed have only `sampleGrids`. */
export function storedPictures(model: Model): StoredPicture[] {
  const metrics = (model.metrics ?? {}) as { pictures?: unknown; sampleGrids?: unknown };
  const listed = Array.isArray(metrics.pictures)
    ? metrics.pictures
    : Array.isArray(metrics.sampleGrids)
      ? (metrics.sampleGrids as { step?: unknown; key?: unknown }[]).map((g) => ({
          kind: 'SAMPLES',
          step: g.step,
          name: `samples-step-${String(g.step).padStart(7, '0')}`,
          key: g.key,
        }))
      : [];
  return listed.filter((p): p is StoredPicture => {
    const q = p as Partial<StoredPicture>;
    if (typeof q.kind !== 'string' || !KINDS.has(q.kind) || typeof q.name !== 'string' || typeof q.key !== 'string') return false;
    if (q.step !== null && q.step !== undefined && !Number.isInteger(q.step)) return false;
    // Only blobs of the model's own factory are ever signed.
    try {
      return parseBlobKey(q.key).factoryId === model.factoryId;
    } catch {
      return false;
    }
  });
}

export async function modelPictures(model: Model, kind: string | null | undefined, ctx: ApiContext) {
  const blobs = requireBlobs(ctx);
  const pictures = storedPictures(model).filter((p) => !kind || p.kind === kind);
  return Promise.all(
    pictures.map(async (p) => ({ kind: p.kind, step: p.step ?? null, name: p.name, url: await blobs.presignedGetUrl(p.key, PICTURE_URL_SECONDS) })),
  );
}
