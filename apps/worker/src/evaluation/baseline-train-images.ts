// The images an evaluation fits its baselines (GMM, OCSVM, LOF) on: exactly the model's recorded
// training set, so that the model and the baselines learned from the same qualified images.
// Models trained before training sets were recorded fall back to the product's current
// QUALIFIED TRAIN images, and the evaluation result says so.
import { getImagesByIds, type Image } from '@gansight/db';
import type { FloatImage } from '@gansight/imaging';
import type { ImageFormat } from '../image-format';
import { loadQualifiedImages, preprocessRows, type SkippedImage } from '../training/load-training-images';
import { loadTrainingSet } from '../training/training-set-artifact';
import type { WorkerContext } from '../worker-context';

export interface BaselineTrainSet {
  /** `training-set`: the images the model was trained on; `current-train-images`: the fallback. */
  source: 'training-set' | 'current-train-images';
  /** Blob key of the recorded training set (null for the fallback). */
  trainingSetKey: string | null;
  /** Images of the recorded set that were deleted, changed or cannot be read any more. */
  skipped: SkippedImage[];
  /** Why the fallback was used, for whoever reads the model card. */
  note?: string;
}

export async function loadBaselineTrainImages(
  ctx: WorkerContext,
  factoryId: string,
  model: { generatorKey: string; productId: string },
  format: ImageFormat,
): Promise<{ images: FloatImage[]; set: BaselineTrainSet }> {
  const recorded = await loadTrainingSet(ctx.blobs, model.generatorKey);
  if (!recorded) {
    const train = await loadQualifiedImages(ctx, factoryId, model.productId, 'TRAIN', format);
    return {
      images: train.images,
      set: {
        source: 'current-train-images', trainingSetKey: null, skipped: train.skipped,
        note: "This model was trained before training sets were recorded, so the baselines were fitted on the product's current QUALIFIED TRAIN images, which may differ from the images the model was trained on.",
      },
    };
  }
  const wanted = recorded.set.images;
  const rows = new Map((await getImagesByIds(ctx.db, factoryId, wanted.map((i) => i.id))).map((r) => [r.id, r]));
  const found: Image[] = [];
  const skipped: SkippedImage[] = [];
  for (const { id, sha256 } of wanted) {
    const row = rows.get(id);
    if (!row) skipped.push({ imageId: id, code: 'NOT_FOUND', reason: 'deleted since the model was trained' });
    else if (row.sha256 !== sha256) skipped.push({ imageId: id, code: 'CONTENT_CHANGED', reason: 'its content differs from the image the model was trained on' });
    else found.push(row);
  }
  const { loaded, skipped: unreadable } = await preprocessRows(ctx, found, format);
  return {
    images: loaded.map((l) => l.image),
    set: { source: 'training-set', trainingSetKey: recorded.key, skipped: [...skipped, ...unreadable] },
  };
}
