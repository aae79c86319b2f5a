// After the patch GAN is trained: fit the encoder on random crops, train the defect map on
// crops with synthetic defects (reading each crop beside its reconstruction), and calibrate on
// held-out qualified images at their own resolution. The result is a complete InspectionModel.
import * as tf from '@tensorflow/tfjs';
import type { Dcgan } from '../dcgan/dcgan-model';
import { disposeFrozenGenerator, freezeGenerator, frozenGeneratorForward } from '../dcgan/forward';
import { buildEncoder, encoderForward } from '../pipeline/encoder';
import type { InspectionModel, RawScoreKind, ScoringOptions } from '../pipeline/inspection-model';
import type { PipelineImage } from '../pipeline/measure-images';
import { trainEncoder } from '../pipeline/train-encoder';
import { calibratePatchModel } from './calibrate-patch-model';
import { checkCroppable, stepCrops } from './crop-sampler';
import { buildDefectMapNet, type DefectMapNet } from './defect-map-net';
import { validatePatchGeometry, type PatchGeometry } from './patch-spec';
import { trainDefectMap } from './train-defect-map';

/** The phases after the GAN, in order, as progress reports name them. */
export type FinishPhase = 'encoder' | 'defect-map' | 'calibration';

export interface DefectMapTraining {
  steps: number;
  batchSize: number;
  nf: number;
  lr?: number;
}

export const DEFAULT_DEFECT_MAP_TRAINING: DefectMapTraining = { steps: 1000, batchSize: 8, nf: 8 };

/** Patch scoring defaults: the encoder's start and a few Adam iterations per tile. */
export const DEFAULT_PATCH_SCORING: ScoringOptions = {
  iterations: 5, lr: 0.05, optimizer: 'adam', loss: 'lap1', levels: 3, restarts: 1, zClip: 4, seed: 0,
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
  /** Progress of each phase after the GAN. */
  onPhase?: (phase: FinishPhase, done: number, total: number) => void | Promise<void>;
  /** Checked between steps of every phase; a true answer stops the work with a CANCELLED error. */
  shouldStop?: () => boolean;
}

/** Thrown when shouldStop asked a phase to stop. */
export class FinishCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'FinishCancelled';
  }
}

/** Encoder, defect map and calibration for a patch GAN trained on crops of `train`. */
export async function finishPatchModel(dcgan: Dcgan, train: PipelineImage[], validation: PipelineImage[], o: FinishPatchOptions): Promise<InspectionModel> {
  validatePatchGeometry(o.geometry);
  checkCroppable(train, o.geometry.patch);
  const log = o.log ?? (() => undefined);
  const stopCheck = () => { if (o.shouldStop?.()) throw new FinishCancelled(); };
  const { patch, flips } = o.geometry;
  const c = dcgan.config.channels;
  const hyper: Record<string, unknown> = { encoderSteps: o.encoderSteps, patch: o.geometry };

  const encoder = buildEncoder(dcgan.config, o.seed);
  const poolSize = o.encoderCrops ?? 2048;
  const pool = tf.tensor4d(stepCrops(train, poolSize, { patch, flips }, o.seed, 0, 0xe4c), [poolSize, patch, patch, c]);
  let started = performance.now();
  try {
    const losses = await trainEncoder(dcgan, encoder, pool, {
      steps: o.encoderSteps, batchSize: o.encoderBatchSize ?? 16, seed: o.seed,
      onStep: (s, l) => {
        stopCheck();
        void o.onPhase?.('encoder', s, o.encoderSteps);
        if (s % 100 === 0 || s === o.encoderSteps) log(`encoder step ${s}/${o.encoderSteps}: loss ${l.toFixed(4)}`);
      },
    });
    hyper.encoderFinalLoss = losses[losses.length - 1];
    hyper.encoderSeconds = (performance.now() - started) / 1000;
  } finally {
    pool.dispose();
  }

  let defectMap: DefectMapNet | null = null;
  if (o.defectMap) {
    const d = o.defectMap;
    defectMap = buildDefectMapNet({ inputChannels: 2 * c, nf: d.nf }, o.seed);
    const frozen = freezeGenerator(dcgan.generator);
    started = performance.now();
    try {
      const losses = await trainDefectMap(defectMap, train, {
        steps: d.steps, batchSize: d.batchSize, crop: patch, flips, seed: o.seed, ...(d.lr ? { lr: d.lr } : {}),
        reconstruct: (x) => tf.tidy(() => frozenGeneratorForward(frozen, encoderForward(encoder, x))),
        shouldStop: () => o.shouldStop?.() ?? false,
        onStep: async (s, l) => {
          await o.onPhase?.('defect-map', s, d.steps);
          if (s % 100 === 0 || s === d.steps) log(`defect map step ${s}/${d.steps}: loss ${l.toFixed(4)}`);
        },
      });
      stopCheck();
      hyper.defectMap = { ...d, finalLoss: losses[losses.length - 1], seconds: (performance.now() - started) / 1000 };
    } finally {
      disposeFrozenGenerator(frozen);
    }
  }

  const model: InspectionModel = { dcgan, encoder, calibration: null, hyper, patch: { ...o.geometry, defectMap } };
  log(`calibrating on ${validation.length} held-out qualified images at their working scale (${o.scoring.iterations} iterations per tile after the encoder)`);
  model.calibration = await calibratePatchModel(model, validation, {
    scoring: o.scoring, falseAlarmRate: o.falseAlarmRate, ...(o.combineKinds ? { combineKinds: o.combineKinds } : {}),
    onProgress: (done, total) => { stopCheck(); void o.onPhase?.('calibration', done, total); },
  });
  return model;
}
