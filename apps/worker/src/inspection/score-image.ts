// The one place the worker asks the ML pipeline for verdicts, so the pipeline's scoring can
// change without touching the job. Several images of one model are inverted as one batch
// (see inversion-batcher.ts): on wasm that costs little more than one image.
import { inspectImages, type InspectionModel, type InversionProgress } from '@gansight/ml';
import type { FloatImage } from '@gansight/imaging';

export interface ImageScore {
  reconstructionLoss: number;
  latentDistance: number;
  latentFrechet: number;
  /** z* (what a lot's Frechet distance is measured on). */
  latent: Float32Array;
  featureLoss: number;
  anomalyScore: number;
  normalizedScore: number;
  threshold: number;
  anomalous: boolean;
  reconstruction: Float32Array;
  /** What the heat map shows: a patch model's defect map (probabilities) when it has one, else the residual map. */
  residualMap: Float32Array;
  /** The heat map's fixed colour range: [0, 1] for defect probabilities; null to scale by the map's own range. */
  heatMapRange: [number, number] | null;
}

/** One inversion iteration of one image, as its inspection reports it live. */
export interface IterationReport {
  /** 1-based. */
  iteration: number;
  totalIterations: number;
  /** The image's best reconstruction loss at this iteration. */
  loss: number;
  /** G(z) of the image (HWC in [-1, 1]) at iterations that are multiples of `previewEvery`. */
  preview: Float32Array | null;
}

/**
 * Watches an inversion per image. `report` returns true when its inspection has I/O to finish
 * (an event sent, a preview being written): the inversion then gives the event loop one turn,
 * since wasm compute otherwise holds it until the inversion ends and nothing would go out live.
 */
export interface InversionWatch {
  /** Every how many iterations G(z) is read back for previews; 0: never. */
  previewEvery: number;
  report(imageIndex: number, r: IterationReport): boolean;
}

/** Scores `images` with one inversion (in the pipeline's batches); results in input order. */
export async function scoreImages(
  model: InspectionModel,
  images: FloatImage[],
  onProgress?: (done: number, total: number) => void,
  watch?: InversionWatch,
): Promise<ImageScore[]> {
  const totalIterations = model.calibration?.scoring.iterations ?? 0;
  const onInversionProgress = watch && (async (batchStart: number, p: InversionProgress) => {
    // With restarts, rows are restart * n + i; the preview shows restart 0 (the encoder's start).
    const recon = p.reconstruction ? ((await p.reconstruction.data()) as Float32Array) : null;
    const px = recon ? recon.length / p.reconstruction!.shape[0] : 0;
    let turn = false;
    p.losses.forEach((loss, i) => {
      const preview = recon ? recon.slice(i * px, (i + 1) * px) : null;
      turn = watch.report(batchStart + i, { iteration: p.iteration, totalIterations, loss, preview }) || turn;
    });
    if (turn) await new Promise<void>((r) => setImmediate(r));
  });
  const lot = await inspectImages(model, images, {
    keepReconstructions: true,
    ...(onProgress ? { onProgress } : {}),
    ...(onInversionProgress ? { onInversionProgress, ...(watch.previewEvery > 0 ? { reconstructionEvery: watch.previewEvery } : {}) } : {}),
  });
  return lot.images.map((verdict, i) => ({
    reconstructionLoss: verdict.scores.reconstruction,
    latentDistance: verdict.scores.latentMahalanobis,
    latentFrechet: verdict.scores.latentFrechet,
    latent: lot.measurements.latents[i]!,
    featureLoss: verdict.scores.featureResidual,
    anomalyScore: verdict.score,
    normalizedScore: verdict.normalisedScore,
    threshold: model.calibration!.normalisation.threshold,
    anomalous: verdict.anomalous,
    reconstruction: lot.measurements.reconstructions![i]!,
    residualMap: lot.defectMaps?.[i] ?? lot.measurements.residualMaps[i]!,
    heatMapRange: lot.defectMaps ? [0, 1] : null,
  }));
}
