// Verdicts of a patch model: every image measured at its own resolution (measure-patches.ts),
// scored against the calibration's statistics, combined and judged as whole-image models are.
import { combineScores, judgeScore, type Gaussian } from '../analysis';
import type { Calibration, InspectionModel, RawScoreKind, ScoreKind } from '../pipeline/inspection-model';
import { latentScores } from '../pipeline/latent-reference';
import type { Measurements, PipelineImage } from '../pipeline/measure-images';
import { PipelineError } from '../pipeline/pipeline-error';
import { disposeFrozenGenerator, freezeGenerator } from '../dcgan/forward';
import { measurePatchImage, type PatchImageWatch, type PatchMeasurement, type PatchParts, type PatchScoringOptions } from './measure-patches';
import type { PatchSpec } from './patch-spec';

/** The score kinds a patch model computes (the others read 0 in its results). */
export const PATCH_SCORE_KINDS: RawScoreKind[] = ['reconstruction', 'residualMean', 'residualMax', 'residualTopK', 'defectMap', 'latentMahalanobis', 'latentFrechet'];

/** Patch scoring options from a calibration's scoring and the model's tile geometry. */
export function patchScoring(c: Pick<Calibration, 'scoring'>, spec: Pick<PatchSpec, 'stride'>): PatchScoringOptions {
  const s = c.scoring;
  return { stride: spec.stride, iterations: s.iterations, lr: s.lr, loss: s.loss, levels: s.levels, mapBlur: s.residualBlur, topKFraction: s.topKFraction };
}

/** Raw per-image scores that need no reference statistics. */
export function patchImageScores(m: PatchMeasurement): Omit<Record<RawScoreKind, number>, 'latentMahalanobis' | 'latentFrechet'> {
  return {
    reconstruction: m.reconstructionL1, residualMean: m.residualMean, residualMax: m.scores.residualMax, residualTopK: m.scores.residualTopK,
    defectMap: m.scores.defectMapMax, residualStandardised: 0, featureResidual: 0, featureDensity: 0, localFeatureDensity: 0,
  };
}

/** An image's latent for lot statistics: the mean of its tiles' z*. */
export function meanTileLatent(m: PatchMeasurement, zdim: number): Float32Array {
  const t = m.tileLatents.length / zdim;
  const out = new Float32Array(zdim);
  for (let i = 0; i < t; i++) for (let k = 0; k < zdim; k++) out[k]! += m.tileLatents[i * zdim + k]! / t;
  return out;
}

export interface PatchLot {
  measurements: PatchMeasurement[];
  /** Per image: the scores a patch model computes, without the reference-dependent ones. */
  raw: Omit<Record<RawScoreKind, number>, 'latentMahalanobis' | 'latentFrechet'>[];
  latents: Float32Array[];
  seconds: number;
}

/** The parts inspection needs; the caller disposes `generator` with disposeFrozenGenerator. */
export function patchParts(model: InspectionModel): PatchParts {
  if (!model.patch) throw new PipelineError('BAD_INPUT', 'not a patch model.');
  if (!model.encoder) throw new PipelineError('BAD_ARTIFACT', 'a patch model needs its encoder; the artifact is damaged.');
  return {
    generator: freezeGenerator(model.dcgan.generator), encoder: model.encoder, defectMap: model.patch.defectMap,
    defectMapFlips: model.patch.defectMapFlips === true, patch: model.patch.patch, zdim: model.dcgan.config.zdim,
  };
}

/** Measures images one by one (all tiles of an image in one batch). */
export async function measurePatchImages(
  model: InspectionModel, images: PipelineImage[], o: PatchScoringOptions,
  /** Awaited after each image; throwing from it stops the work (nothing is left behind). */
  m: {
    onProgress?: (done: number, total: number) => void | Promise<void>;
    /** Live view of image i's inversion (see PatchImageWatch). */
    watch?: (i: number) => PatchImageWatch | undefined;
  } = {},
): Promise<PatchLot> {
  if (images.length === 0) throw new PipelineError('BAD_INPUT', 'no images given.');
  const parts = patchParts(model);
  const started = performance.now();
  const out: PatchLot = { measurements: [], raw: [], latents: [], seconds: 0 };
  try {
    for (const [i, img] of images.entries()) {
      if (img.channels !== model.dcgan.config.channels) throw new PipelineError('BAD_INPUT', `image ${i} has ${img.channels} channels; the model takes ${model.dcgan.config.channels}.`);
      if (img.width < parts.patch || img.height < parts.patch) {
        throw new PipelineError('BAD_INPUT', `image ${i} is ${img.width}x${img.height} at the working scale, smaller than the ${parts.patch}-px patch.`);
      }
      const meas = await measurePatchImage(parts, img, o, m.watch?.(i));
      out.measurements.push(meas);
      out.raw.push(patchImageScores(meas));
      out.latents.push(meanTileLatent(meas, parts.zdim));
      await m.onProgress?.(i + 1, images.length);
    }
  } finally {
    disposeFrozenGenerator(parts.generator);
  }
  out.seconds = (performance.now() - started) / 1000;
  return out;
}

/** Scores with the latent distances to `reference` added. */
export function withLatentScores(lot: PatchLot, reference: Gaussian): Record<RawScoreKind, number>[] {
  const l = latentScores(lot.latents, reference);
  return lot.raw.map((r, i) => ({ ...r, ...l[i]! }));
}

/** Whole-image Measurements shape over a patch lot (maps differ in size from image to image). */
export function patchLotMeasurements(lot: PatchLot): Measurements {
  return {
    scores: lot.raw.map((r) => ({ reconstruction: r.reconstruction, residualMean: r.residualMean, residualMax: r.residualMax, residualTopK: r.residualTopK, featureResidual: 0 })),
    latents: lot.latents,
    residualMaps: lot.measurements.map((m) => m.residualMap),
    highPassMaps: lot.measurements.map((m) => m.residualMap),
    features: [], localFeatures: [],
    reconstructions: lot.measurements.map((m) => m.reconstruction),
    seconds: lot.seconds,
  };
}

export interface PatchVerdict {
  score: number;
  normalisedScore: number;
  anomalous: boolean;
  scores: Record<ScoreKind, number>;
}

/** Judges raw patch scores with a calibration. */
export function judgePatchScores(raw: Record<RawScoreKind, number>[], c: Calibration): PatchVerdict[] {
  const selected = Object.fromEntries(c.combineKinds.map((k) => [k, c.scoreStatistics[k]!]));
  return raw.map((r) => {
    const combined = combineScores(r, selected);
    return { ...judgeScore(combined, c.normalisation), scores: { ...r, combined } };
  });
}
