// The pictures of a model's card, as the API serves them (`Model.pictures`): every picture is
// a PNG blob of the model's factory listed in `metrics.pictures` as { kind, step, name, key };
// the API signs a fresh URL for each on every query, so a card never points at an expired
// link. A new kind of picture (interpolation strips, ...) is one more entry here and one more
// value of the API's ModelPictureKind enum (docs/adr/0025).
import { renderScatter } from '@gansight/ml';
import { blobKey, type BlobStore } from '@gansight/storage';
import sharp from 'sharp';
import type { GeneratorCheckMetrics } from './model-card-metrics';
import { sampleGridKeys } from './model-card-metrics';

/** One entry of `Model.metrics.pictures` (a type, not an interface: it is stored as JSON). */
export type ModelPicture = {
  /** SAMPLES (a training step's sample grid), TSNE (generated vs real images), ... */
  kind: string;
  /** The training step a sample grid shows; null for pictures of the finished model. */
  step: number | null;
  /** Unique within the model, stable across queries. */
  name: string;
  key: string;
};

/** Where a picture of the finished model is stored. */
export function modelPictureKey(factoryId: string, modelId: string, fileName: string): string {
  return blobKey(factoryId, 'models', modelId, 'pictures', fileName);
}

// Matplotlib's first two colours, as `gansight evaluate` draws its tsne.png.
const REAL: [number, number, number] = [31, 119, 180];
const GENERATED: [number, number, number] = [255, 127, 14];

/** The t-SNE of the generator check as a PNG: real images blue, generated ones orange. */
export async function tsnePng(tsne: { points: Array<[number, number]>; source: Array<'generated' | 'real'> }): Promise<Buffer> {
  const plot = renderScatter([
    { points: tsne.points.filter((_, i) => tsne.source[i] === 'real'), colour: REAL },
    { points: tsne.points.filter((_, i) => tsne.source[i] === 'generated'), colour: GENERATED },
  ]);
  return sharp(Buffer.from(plot.data), { raw: { width: plot.width, height: plot.height, channels: 3 } }).png().toBuffer();
}

/**
 * Stores the pictures drawn from the finished model (the t-SNE plot, when the generator check
 * ran) and lists them after the sample grids the run saved while it trained.
 */
export async function storeModelPictures(
  blobs: BlobStore,
  target: { factoryId: string; modelId: string; runId: string },
  generatorCheck: GeneratorCheckMetrics | null,
): Promise<ModelPicture[]> {
  const pictures: ModelPicture[] = (await sampleGridKeys(blobs, target.factoryId, target.runId)).map((g) => ({
    kind: 'SAMPLES',
    step: g.step,
    name: `samples-step-${String(g.step).padStart(7, '0')}`,
    key: g.key,
  }));
  if (generatorCheck && !('error' in generatorCheck)) {
    const key = modelPictureKey(target.factoryId, target.modelId, 'tsne.png');
    await blobs.put(key, await tsnePng(generatorCheck.tsne), { contentType: 'image/png' });
    pictures.push({ kind: 'TSNE', step: null, name: 'tsne', key });
  }
  return pictures;
}
