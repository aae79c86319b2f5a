// After the patch GAN is trained: fit the encoder on random crops, train the defect map on
// crops with synthetic defects (reading each crop beside its reconstruction), and calibrate on
// held-out qualified images at their own resolution. The result is a complete InspectionModel.
import * as tf from '@tensorflow/tfjs';
import type { Dcgan } from '../dcgan/dcgan-model';
import { disposeFrozenGenerator, freezeGenerator, frozenGeneratorForward } from '../dcgan/forward';
import { buildEncoder, encoderForward, encoderVariables, type EncoderWeights } from '../pipeline/encoder';
import type { OnPhaseProgress, PhaseProgress } from '../pipeline/phase-progress';
import type { InspectionModel, RawScoreKind, ScoringOptions } from '../pipeline/inspection-model';
import type { PipelineImage } from '../pipeline/measure-images';
import { trainEncoder } from '../pipeline/train-encoder';
import { calibratePatchModel } from './calibrate-patch-model';
import { checkCroppable, stepCrops } from './crop-sampler';
import { buildDefectMapNet, disposeDefectMapNet, type DefectMapNet } from './defect-map-net';
import { validatePatchGeometry, type PatchGeometry } from './patch-spec';
import { trainDefectMap } from './train-defect-map';

export interface DefectMapTraining {
  steps: number;
  batchSize: number;
  nf: number;
  lr?: number;
}

export const DEFAULT_DEFECT_MAP_TRAINING: DefectMapTraining = { steps: 1000, batchSize: 8, nf: 8 };

/**
 * Patch scoring defaults: each tile's reconstruction is G(E(x)), the encoder's inversion, with
 * no further iterations. Why: on the tune half of magnetic-tile-by-tile five Adam iterations
 * per tile moved the defect map's AUROC from 0.746 to 0.762, on the hold half from 0.717 to
 * 0.709 (no robust gain), at six times the inspection time (a magnetic tile from about 0.2 s to
 * over 1 s on 2 cores; docs/PERFORMANCE.md). `--inv-iters` / `inversionIterations` add them.
 */
export const DEFAULT_PATCH_SCORING: ScoringOptions = {
  iterations: 0, lr: 0.05, optimizer: 'adam', loss: 'lap1', levels: 3, restarts: 1, zClip: 4, seed: 0,
  useEncoder: true, batchSize: 64, residualBlur: 1.5, topKFraction: 0.002,
};

export interface FinishPatchOptions {
  geometry: PatchGeometry;
  encoderSteps: number;
  encoderBatchSize?: number;
  /** Crops the encoder trains on, drawn once (default 2048). */
  encoderCrops?: number;
  /** Train a defect map (null: the model judges by its residual alone). */
  defectMap: DefectMapTraining | null;
  scoring: ScoringOptions;
  falseAlarmRate: number;
  combineKinds?: RawScoreKind[];
  seed: number;
  log?: (m: string) => void;
  /** Every encoder and defect-map step and calibration image (phase-progress.ts; throwing stops the work, nothing left behind). */
  onProgress?: OnPhaseProgress;
}

/** Encoder, defect map and calibration for a patch GAN trained on crops of `train`. */
export async function finishPatchModel(dcgan: Dcgan, train: PipelineImage[], validation: PipelineImage[], o: FinishPatchOptions): Promise<InspectionModel> {
  validatePatchGeometry(o.geometry);
  checkCroppable(train, o.geometry.patch);
  const log = o.log ?? (() => undefined);
  const { patch, flips } = o.geometry;
  let encoder: EncoderWeights | null = null;
  let defectMap: DefectMapNet | null = null;
  // A caller that stops the work (by throwing from onProgress) gets no weights left behind.
  const progress = async (p: PhaseProgress) => {
    try {
      await o.onProgress?.(p);
    } catch (err) {
      if (encoder) tf.dispose(encoderVariables(encoder));
      if (defectMap) disposeDefectMapNet(defectMap);
      throw err;
    }
  };
  const c = dcgan.config.channels;
  const hyper: Record<string, unknown> = { encoderSteps: o.encoderSteps, patch: o.geometry };

  encoder = buildEncoder(dcgan.config, o.seed);
  const trainedEncoder = encoder;
  const poolSize = o.encoderCrops ?? 2048;
  const pool = tf.tensor4d(stepCrops(train, poolSize, { patch, flips }, o.seed, 0, 0xe4c), [poolSize, patch, patch, c]);
  let started = performance.now();
  try {
    const losses = await trainEncoder(dcgan, encoder, pool, {
      steps: o.encoderSteps, batchSize: o.encoderBatchSize ?? 16, seed: o.seed,
      onStep: async (s, l) => {
        if (s % 100 === 0 || s === o.encoderSteps) log(`encoder step ${s}/${o.encoderSteps}: loss ${l.toFixed(4)}`);
        await progress({ phase: 'encoder', done: s, total: o.encoderSteps });
      },
    });
    hyper.encoderFinalLoss = losses[losses.length - 1];
    hyper.encoderSeconds = (performance.now() - started) / 1000;
  } finally {
    pool.dispose();
  }

  if (o.defectMap) {
    const d = o.defectMap;
    defectMap = buildDefectMapNet({ inputChannels: 2 * c, nf: d.nf }, o.seed);
    const frozen = freezeGenerator(dcgan.generator);
    started = performance.now();
    try {
      const losses = await trainDefectMap(defectMap, train, {
        steps: d.steps, batchSize: d.batchSize, crop: patch, flips, seed: o.seed, ...(d.lr ? { lr: d.lr } : {}),
        reconstruct: (x) => tf.tidy(() => frozenGeneratorForward(frozen, encoderForward(trainedEncoder, x))),
        onStep: async (s, l) => {
          if (s % 100 === 0 || s === d.steps) log(`defect map step ${s}/${d.steps}: loss ${l.toFixed(4)}`);
          await progress({ phase: 'defect-map', done: s, total: d.steps });
        },
      });
      hyper.defectMap = { ...d, finalLoss: losses[losses.length - 1], seconds: (performance.now() - started) / 1000 };
    } finally {
      disposeFrozenGenerator(frozen);
    }
  }

  // A map trained on mirrored crops may read mirrored images too: inspection (and the
  // calibration below, so that thresholds match) averages it over the four mirrorings.
  const model: InspectionModel = { dcgan, encoder, calibration: null, hyper, patch: { ...o.geometry, defectMap, ...(defectMap && flips ? { defectMapFlips: true } : {}) } };
  log(`calibrating on ${validation.length} held-out qualified images at their working scale (${o.scoring.iterations} iterations per tile after the encoder)`);
  model.calibration = await calibratePatchModel(model, validation, {
    scoring: o.scoring, falseAlarmRate: o.falseAlarmRate, ...(o.combineKinds ? { combineKinds: o.combineKinds } : {}),
    onProgress: (done, total) => progress({ phase: 'calibration', done, total }),
  });
  return model;
}
