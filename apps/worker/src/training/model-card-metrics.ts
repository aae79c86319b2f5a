// What a finished model's card shows beyond its training counts: the paper's generator check
// (t-SNE of generated vs real images, Frechet distance of inverted generated samples' latents
// to the qualified reference) and the sample grids saved while it trained. Bounded: as many
// generated images as real ones (as `gansight evaluate` does), at most 64 each, inverted once,
// so it costs a small fraction of training (ADR 0017).
import { checkGenerator, type InspectionModel, type OnPhaseProgress } from '@gansight/ml';
import type { FloatImage } from '@gansight/imaging';
import type { BlobStore } from '@gansight/storage';
import { blobKey } from '@gansight/storage';
import { describeFailure } from '../jobs/job-errors';
import { TrainingStopped } from './run-stop-watch';

/** Generated and real images in the check (each, at most; fewer when the training set is smaller). */
export const GENERATOR_CHECK_SAMPLES = 64;

export type GeneratorCheckMetrics =
  | {
      frechetGeneratedVsQualified: number;
      generatedSamples: number;
      realSamples: number;
      /** t-SNE in pixel space: first the generated images, then the real ones (same shape as `gansight evaluate`'s report). */
      tsne: { points: Array<[number, number]>; source: Array<'generated' | 'real'> };
    }
  | { error: string };

/**
 * Runs the generator check on a calibrated model. A check that fails is recorded as
 * `{ error }` (and logged) rather than failing a model that trained and calibrated well.
 */
export async function generatorCheckMetrics(
  model: InspectionModel, train: FloatImage[], seed: number, log: (line: string) => void, onProgress?: OnPhaseProgress,
): Promise<GeneratorCheckMetrics> {
  // Evenly spread over the training set, not its first images (which may be one batch of a day).
  const step = Math.max(1, train.length / GENERATOR_CHECK_SAMPLES);
  const real = Array.from({ length: Math.min(train.length, GENERATOR_CHECK_SAMPLES) }, (_, i) => train[Math.floor(i * step)]!);
  try {
    const started = performance.now();
    const check = await checkGenerator(model, real, { samples: real.length, seed, ...(onProgress ? { onProgress } : {}) });
    log(`generator check: latent Frechet distance ${check.frechetGeneratedVsQualified.toPrecision(3)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return {
      frechetGeneratedVsQualified: check.frechetGeneratedVsQualified,
      generatedSamples: check.generated.length,
      realSamples: real.length,
      tsne: check.tsne,
    };
  } catch (err) {
    if (err instanceof TrainingStopped) throw err; // cancelled or draining, not a failed check
    const f = describeFailure(err);
    log(`generator check failed: ${f.code}: ${f.message}`);
    return { error: `${f.code}: ${f.message}` };
  }
}

/** The sample grids a run stored while training (every attempt's), by step. */
export async function sampleGridKeys(blobs: BlobStore, factoryId: string, runId: string): Promise<Array<{ step: number; key: string }>> {
  const prefix = `${blobKey(factoryId, 'training-runs', runId, 'samples')}/`;
  const grids: Array<{ step: number; key: string }> = [];
  for await (const entry of blobs.list(prefix)) {
    const m = /step-(\d+)\.png$/.exec(entry.key);
    if (m) grids.push({ step: Number(m[1]), key: entry.key });
  }
  return grids.sort((a, b) => a.step - b.step);
}
