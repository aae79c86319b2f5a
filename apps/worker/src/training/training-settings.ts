import { readProductModelSettings, type Model, type Product, type TrainingRun } from '@gansight/db';
import type { IntensityMode } from '@gansight/imaging';
import { WorkerError } from '../jobs/job-errors';
import { productImageFormat } from '../image-format';

/** Everything one training run needs, from the Product, Model.hyperParameters and TrainingRun. */
export interface TrainingSettings {
  size: number;
  channels: 1 | 3;
  mode: 'resize' | 'center-crop' | 'pad';
  intensity: IntensityMode;
  steps: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  zdim: number;
  nf: number;
  checkpointEvery: number;
  sampleEvery: number;
  encoderSteps: number;
  /** Inversion iterations used for calibration (the pipeline's default when absent). */
  inversionIterations: number | undefined;
  falseAlarmRate: number;
  /** Patch models (ADR 0034): the working scale, tiles and defect map; null for whole-image models. */
  patch: { scale: number; stride: number; flips: boolean; defectMap: boolean; defectMapSteps: number } | null;
}

function num(h: Record<string, unknown>, name: string, fallback: number, min: number, integer = true): number {
  const v = h[name] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
    throw new WorkerError('BAD_HYPER_PARAMETERS', `Hyper-parameter ${name} must be ${integer ? 'a whole number' : 'a number'} >= ${min}, got ${JSON.stringify(v)}.`, true);
  }
  return v;
}

function patchSettings(product: Product, h: Record<string, unknown>): TrainingSettings['patch'] {
  const m = readProductModelSettings(product.modelSettings);
  if (m.kind !== 'patch') return null;
  return {
    // Tiles side by side (stride = patch): with the defect map over mirrorings, overlap ranked
    // no better and cost 30% of the time (ADR 0063).
    scale: m.scale, stride: m.patchSize, flips: m.flips, defectMap: m.defectMap,
    defectMapSteps: num(h, 'defectMapSteps', 1000, 1),
  };
}

/** Names follow apps/api's training presets (steps, batchSize, learningRate, encoderSteps, latentDim, seed). */
export function trainingSettings(product: Product, model: Model, run: TrainingRun): TrainingSettings {
  const h = (model.hyperParameters ?? {}) as Record<string, unknown>;
  const format = productImageFormat(product);
  const steps = run.totalSteps;
  return {
    size: format.size,
    channels: format.channels,
    mode: format.mode,
    intensity: format.intensity,
    steps,
    batchSize: num(h, 'batchSize', 32, 1),
    learningRate: num(h, 'learningRate', 0.0002, 1e-7, false),
    seed: num(h, 'seed', 0, 0),
    zdim: num(h, 'latentDim', 100, 2),
    nf: num(h, 'nf', 32, 1),
    // About 20 checkpoints and 50 sample grids per run unless asked otherwise.
    checkpointEvery: num(h, 'checkpointEvery', Math.max(1, Math.ceil(steps / 20)), 1),
    sampleEvery: num(h, 'sampleEvery', Math.max(1, Math.ceil(steps / 50)), 1),
    encoderSteps: num(h, 'encoderSteps', 0, 0),
    inversionIterations: h.inversionIterations === undefined ? undefined : num(h, 'inversionIterations', 100, 1),
    falseAlarmRate: num(h, 'falseAlarmRate', 0.05, 0, false),
    patch: patchSettings(product, h),
  };
}
