// The training loop: seeded batches and latents, progress per step, sample grids and
// checkpoints every N steps, and resume from a checkpoint to the same result.
import * as tf from '@tensorflow/tfjs';
import type { AdamOptions } from './adam';
import { captureCheckpoint, restoreCheckpoint, type GanCheckpoint } from './checkpoint';
import type { Dcgan } from './dcgan-model';
import { sampleGrid } from './sample-grid';
import { seededBatchIndices, seededLatents } from './seeded-random';
import { createTrainer, disposeTrainer, trainStep, type StepMetrics } from './train-step';

export interface TrainProgress extends StepMetrics {
  /** 1-based number of the step just completed. */
  step: number;
  totalSteps: number;
  imagesPerSecond: number;
  /** Estimated seconds left, from the mean step time of this session. */
  etaSeconds: number;
}

/** Real images for one step: a tensor [N, H, W, C] in [-1, 1] to sample from, or a function. */
export type TrainingData = tf.Tensor4D | ((step: number, batchSize: number) => tf.Tensor4D);

export interface TrainGanOptions {
  steps: number;
  batchSize: number;
  seed?: number;
  adam?: Partial<AdamOptions>;
  onStep?: (p: TrainProgress) => void | Promise<void>;
  /** Every this many steps, onSample gets a grid of G(fixed z) in [0, 1] (caller disposes it). */
  sampleEvery?: number;
  sampleCount?: number;
  onSample?: (step: number, grid: tf.Tensor3D) => void | Promise<void>;
  /** Every this many steps (and at the end), a checkpoint is handed to save. */
  checkpointEvery?: number;
  save?: (ckpt: GanCheckpoint) => void | Promise<void>;
  resumeFrom?: GanCheckpoint;
  /**
   * Stop early when this returns true (checked between steps). By itself this writes no
   * checkpoint (e.g. a cancelled run needs none); set checkpointOnStop to get one.
   */
  shouldStop?: () => boolean;
  /**
   * Checkpoint on demand: once aborted, training stops at the next step boundary (the step in
   * flight finishes), captures a checkpoint of that step, hands it to `save` and returns it.
   * A SIGTERM handler can abort this instead of waiting for the next checkpointEvery boundary.
   */
  signal?: AbortSignal;
  /** Also checkpoint (save and return it) when shouldStop stops the run. Default false. */
  checkpointOnStop?: boolean;
}

export interface TrainGanResult {
  stepsCompleted: number;
  last?: StepMetrics;
  /** Why the run ended before `steps`, or null when it reached them. */
  stopped: 'signal' | 'shouldStop' | null;
  /**
   * The checkpoint taken because the run was stopped on demand (signal, or shouldStop with
   * checkpointOnStop); resuming from it continues exactly as an uninterrupted run.
   */
  checkpoint?: GanCheckpoint;
}

function realBatch(data: TrainingData, step: number, batchSize: number, seed: number): tf.Tensor4D {
  if (typeof data === 'function') return data(step, batchSize);
  const idx = seededBatchIndices(data.shape[0], batchSize, seed, step);
  return tf.tidy(() => tf.gather(data, tf.tensor1d(idx, 'int32')));
}

/** Trains `model` in place for `steps` steps (continuing a checkpoint if given); reproducible per seed. */
export async function trainGan(model: Dcgan, data: TrainingData, opts: TrainGanOptions): Promise<TrainGanResult> {
  const seed = opts.seed ?? 0;
  const trainer = createTrainer(model, opts.adam);
  const sampleZ = seededLatents(opts.sampleCount ?? 16, model.config.zdim, seed, 0, 1);
  let step = 0;
  let last: StepMetrics | undefined;
  let savedStep = -1;
  let stopped: TrainGanResult['stopped'] = null;
  const stopRequested = (): boolean => {
    if (opts.signal?.aborted) stopped = 'signal';
    else if (opts.shouldStop?.()) stopped = 'shouldStop';
    return stopped !== null;
  };
  try {
    if (opts.resumeFrom) {
      if (opts.resumeFrom.rng.seed !== seed) throw new Error(`checkpoint was trained with seed ${opts.resumeFrom.rng.seed}, not ${seed}`);
      step = restoreCheckpoint(trainer, opts.resumeFrom);
      savedStep = step;
    }
    const started = performance.now();
    const firstStep = step;
    while (step < opts.steps && !stopRequested()) {
      const real = realBatch(data, step, opts.batchSize, seed);
      const z = seededLatents(opts.batchSize, model.config.zdim, seed, step, 0);
      try {
        last = await trainStep(trainer, real, z);
      } finally {
        tf.dispose([real, z]);
      }
      step += 1;
      const elapsed = (performance.now() - started) / 1000;
      const perStep = elapsed / (step - firstStep);
      await opts.onStep?.({
        ...last, step, totalSteps: opts.steps,
        imagesPerSecond: opts.batchSize / perStep, etaSeconds: perStep * (opts.steps - step),
      });
      if (opts.onSample && opts.sampleEvery && step % opts.sampleEvery === 0) {
        await opts.onSample(step, sampleGrid(model.generator, sampleZ));
      }
      const atEnd = step === opts.steps;
      if (opts.save && ((opts.checkpointEvery && step % opts.checkpointEvery === 0) || atEnd)) {
        await opts.save(await captureCheckpoint(trainer, step, seed));
        savedStep = step;
      }
    }
    let checkpoint: GanCheckpoint | undefined;
    if (stopped === 'signal' || (stopped === 'shouldStop' && opts.checkpointOnStop)) {
      checkpoint = await captureCheckpoint(trainer, step, seed);
      // A step that was just saved on schedule (or resumed from) is not saved twice.
      if (opts.save && savedStep !== step) await opts.save(checkpoint);
    }
    return { stepsCompleted: step, stopped, ...(last ? { last } : {}), ...(checkpoint ? { checkpoint } : {}) };
  } finally {
    sampleZ.dispose();
    disposeTrainer(trainer);
  }
}
