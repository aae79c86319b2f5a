// After GAN training: fit the encoder (if asked) and calibrate on held-out qualified images
// (the pipeline's finishInspectionModel), then store the complete model. Kept behind this one
// function so the pipeline can change without touching the job.
import type { FloatImage } from '@gansight/imaging';
import * as tf from '@tensorflow/tfjs';
import {
  DEFAULT_DEFECT_MAP_TRAINING, DEFAULT_PATCH_SCORING, DEFAULT_SCORING, disposeDefectMapNet, encoderVariables, finishInspectionModel, finishPatchModel,
  MODEL_FILES, saveInspectionModel, type Calibration, type Dcgan, type InspectionModel, type OnPhaseProgress,
} from '@gansight/ml';
import { WorkerError } from '../jobs/job-errors';
import { blobKey } from '@gansight/storage';
import type { WorkerContext } from '../worker-context';
import { blobArtifactIO } from './blob-artifact-io';
import { generatorCheckMetrics, type GeneratorCheckMetrics } from './model-card-metrics';
import type { TrainingSettings } from './training-settings';

/** Fewer held-out images than this cannot calibrate a threshold (the pipeline's own minimum). */
export const MIN_VALIDATION_IMAGES = 8;

export interface FinishedModel {
  /** Key of the stored model manifest (generator, discriminator and encoder in one bundle). */
  modelKey: string;
  calibration: Calibration | null;
  /** The generator check for the model card; null when the model could not be calibrated. */
  generatorCheck: GeneratorCheckMetrics | null;
}

export async function finishModel(
  ctx: WorkerContext,
  target: { factoryId: string; modelId: string },
  dcgan: Dcgan,
  train: FloatImage[],
  validation: FloatImage[],
  s: TrainingSettings,
  hyper: Record<string, unknown>,
  /** Every step of every phase: progress events, and where a cancel or drain stops the work (run-stop-watch.ts). */
  onProgress: OnPhaseProgress,
): Promise<FinishedModel> {
  const dir = blobKey(target.factoryId, 'models', target.modelId);
  const io = blobArtifactIO(ctx.blobs, dir);
  if (validation.length < MIN_VALIDATION_IMAGES) {
    // The GAN is kept so that a later calibration does not need to train again.
    await saveInspectionModel(io, { dcgan, encoder: null, calibration: null, hyper });
    return { modelKey: `${dir}/${MODEL_FILES.manifest}`, calibration: null, generatorCheck: null };
  }
  const log = (m: string) => ctx.log(`[train] ${target.modelId}: ${m}`);
  let model: InspectionModel;
  if (s.patch) {
    // The same finishing as `gansight train --model patch` (ADR 0034): encoder on crops, defect map, calibration at each image's scale.
    if (s.encoderSteps < 1) throw new WorkerError('BAD_HYPER_PARAMETERS', 'A patch model starts every tile from its encoder: encoderSteps must be at least 1.', true);
    model = await finishPatchModel(dcgan, train, validation, {
      geometry: { scale: s.patch.scale, patch: s.size as 32 | 64 | 128, stride: s.patch.stride, flips: s.patch.flips },
      encoderSteps: s.encoderSteps,
      defectMap: s.patch.defectMap ? { ...DEFAULT_DEFECT_MAP_TRAINING, steps: s.patch.defectMapSteps } : null,
      scoring: { ...DEFAULT_PATCH_SCORING, ...(s.inversionIterations ? { iterations: s.inversionIterations } : {}), seed: s.seed },
      falseAlarmRate: s.falseAlarmRate,
      seed: s.seed,
      log,
      onProgress,
    });
  } else {
    model = await finishInspectionModel(dcgan, train, validation, {
      encoderSteps: s.encoderSteps,
      scoring: { ...DEFAULT_SCORING, ...(s.inversionIterations ? { iterations: s.inversionIterations } : {}), seed: s.seed },
      falseAlarmRate: s.falseAlarmRate,
      seed: s.seed,
      log,
      onProgress,
    });
  }
  let generatorCheck: GeneratorCheckMetrics;
  try {
    await saveInspectionModel(io, { ...model, hyper: { ...hyper, ...model.hyper } });
    // While the encoder is still loaded: the check inverts generated images as inspections do.
    generatorCheck = await generatorCheckMetrics(model, train, s.seed, (m) => ctx.log(`[train] ${target.modelId}: ${m}`), onProgress);
  } finally {
    if (model.encoder) tf.dispose(encoderVariables(model.encoder));
    if (model.patch?.defectMap) disposeDefectMapNet(model.patch.defectMap);
  }
  return { modelKey: `${dir}/${MODEL_FILES.manifest}`, calibration: model.calibration, generatorCheck };
}
