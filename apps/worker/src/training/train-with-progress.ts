// One attempt of GAN training: trainGan from @gansight/ml wired to storage, the TrainingRun row
// and events. Progress is throttled; checkpoints follow the schedule, plus one on demand when
// the worker drains: trainGan's AbortSignal stops at the step boundary and checkpoints the last
// completed step, so a SIGTERM neither loses a step nor trains one more.
import * as tf from '@tensorflow/tfjs';
import { updateTrainingRun, type TrainingRun } from '@gansight/db';
import type { EventKind } from '@gansight/events';
import { floatImageToPng, type FloatImage } from '@gansight/imaging';
import { buildDcgan, disposeDcgan, loadModelWeights, stepCrops, trainGan, type Dcgan, type GanCheckpoint, type TrainGanOptions, type TrainingData, type TrainProgress } from '@gansight/ml';
import { blobKey } from '@gansight/storage';
import type { WorkerContext } from '../worker-context';
import { saveRunCheckpoint } from './run-checkpoints';
import type { RunStopWatch } from './run-stop-watch';
import type { TrainingSettings } from './training-settings';

export interface TrainAttempt {
  dcgan: Dcgan;
  /** Why training stopped before the last step, or null when it reached it. */
  stopped: 'cancelled' | 'draining' | null;
  fromStep: number;
  stepsThisAttempt: number;
  lastStep: number;
}

export type Emit = (kind: EventKind, data: Record<string, unknown>) => Promise<void>;

const MAX_LOSS_SAMPLES = 500;

function stack(images: FloatImage[]): tf.Tensor4D {
  const f = images[0]!;
  const all = new Float32Array(images.length * f.data.length);
  images.forEach((img, i) => all.set(img.data, i * f.data.length));
  return tf.tensor4d(all, [images.length, f.height, f.width, f.channels]);
}

async function gridPng(grid: tf.Tensor3D): Promise<Buffer> {
  const [h, w, c] = grid.shape;
  const data = tf.tidy(() => tf.sub(tf.mul(grid, 2), 1).dataSync() as Float32Array);
  return floatImageToPng({ width: w, height: h, channels: c as 1 | 3, data });
}

export async function trainWithProgress(
  ctx: WorkerContext,
  run: TrainingRun,
  s: TrainingSettings,
  images: FloatImage[],
  resume: GanCheckpoint | null,
  /** `stop`: the run's cancel watch (its drain side is `drain`); without it nothing cancels the run. */
  o: { drain: AbortSignal; stop?: RunStopWatch; emit: Emit; extra: Record<string, unknown> },
): Promise<TrainAttempt> {
  const { factoryId, id: runId } = run;
  const dcgan = buildDcgan({ size: s.size, channels: s.channels, zdim: s.zdim, nf: s.nf }, s.seed);
  // A patch model's GAN sees fresh random crops every step (seeded by step: a resumed run draws the same ones).
  const real: TrainingData = s.patch
    ? (step, n) => tf.tensor4d(stepCrops(images, n, { patch: s.size, flips: s.patch!.flips }, s.seed, step), [n, s.size, s.size, s.channels])
    : stack(images);
  let checkpointKey = run.lastCheckpointKey;
  let lastProgress = 0;
  let stepsThisAttempt = 0;
  const fromStep = resume?.step ?? 0;
  // Losses recorded after the checkpoint we resume from were trained again: keep only those before.
  const losses = Array.isArray(run.losses) ? (run.losses as Record<string, number>[]).filter((l) => l.step! <= fromStep) : [];

  // The last completed step not yet written to the row: a drain writes it, so that the run's
  // step and loss curve end exactly at its checkpoint.
  let unreported: TrainProgress | null = null;
  const report = async (p: TrainProgress) => {
    unreported = null;
    lastProgress = Date.now();
    const sample = { step: p.step, d: p.dLoss, g: p.gLoss, dReal: p.dReal, dFake: p.dFake };
    losses.push(sample);
    if (losses.length > MAX_LOSS_SAMPLES) losses.splice(0, losses.length - MAX_LOSS_SAMPLES);
    await updateTrainingRun(ctx.db, factoryId, runId, { step: p.step, losses });
    await o.emit('training.progress', {
      ...sample, totalSteps: s.steps, imagesPerSecond: p.imagesPerSecond, etaSeconds: p.etaSeconds,
    });
  };

  const options: TrainGanOptions = {
    steps: s.steps,
    batchSize: s.batchSize,
    seed: s.seed,
    adam: { learningRate: s.learningRate },
    ...(resume ? { resumeFrom: resume } : {}),
    checkpointEvery: s.checkpointEvery,
    // Checkpoint on demand: once aborted, trainGan finishes the step in flight, saves it (unless
    // that step was just saved on schedule) and stops.
    signal: o.drain,
    save: async (ckpt) => {
      checkpointKey = await saveRunCheckpoint(ctx, run, ckpt, checkpointKey, o.extra);
      await o.emit('training.checkpoint', { step: ckpt.step, totalSteps: s.steps });
    },
    sampleEvery: s.sampleEvery,
    sampleCount: 16,
    onSample: async (step, grid) => {
      let png: Buffer;
      try {
        png = await gridPng(grid);
      } finally {
        grid.dispose();
      }
      const key = blobKey(factoryId, 'training-runs', runId, 'samples', `step-${String(step).padStart(7, '0')}.png`);
      await ctx.blobs.put(key, png, { contentType: 'image/png' });
      await o.emit('training.sample', { step, key });
    },
    onStep: async (p) => {
      stepsThisAttempt += 1;
      unreported = p;
      // A step's compute never returns to the event loop (only microtasks), so a SIGTERM (and the
      // cancel poll's reply) would wait for the next progress write, up to progressIntervalMs of
      // steps later. One turn of the loop per step lets the drain abort at this boundary.
      await new Promise<void>((r) => setImmediate(r));
      if (Date.now() - lastProgress < ctx.timing.progressIntervalMs && p.step !== s.steps) return;
      await report(p);
    },
    shouldStop: () => o.stop?.reason() === 'cancelled',
  };

  try {
    const result = await trainGan(dcgan, real, options);
    // A run whose last checkpoint is already at the end trains nothing: take its weights.
    if (resume && resume.step >= s.steps) loadModelWeights(dcgan, resume);
    const stopped = result.stopped === 'signal' ? 'draining' : result.stopped === 'shouldStop' ? 'cancelled' : null;
    if (stopped === 'draining' && unreported) await report(unreported);
    return { dcgan, stopped, fromStep, stepsThisAttempt, lastStep: result.stepsCompleted };
  } catch (err) {
    disposeDcgan(dcgan);
    throw err;
  } finally {
    if (typeof real !== 'function') real.dispose();
  }
}
