// `gansight train`: trains a DCGAN on a folder dataset's qualified images with a progress bar,
// checkpoints and resume; then fits the encoder and calibrates on held-out qualified images.
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import * as tf from '@tensorflow/tfjs';
import { listFolderDataset, loadFolderDataset, floatImageToPng, type FloatImage, type IntensityMode, type PreprocessOptions, type ResizeMode } from '@gansight/imaging';
import {
  buildDcgan, createRng, loadGanCheckpoint, saveGanCheckpoint, selectBackend, trainGan, loadModelWeights,
  finishInspectionModel, saveInspectionModel, DEFAULT_SCORING, MIN_CALIBRATION_IMAGES, SCORE_KINDS, type ArtifactIO, type BackendPreference, type Dcgan,
  type RawScoreKind, checkCroppable, PATCH_SCORE_KINDS, finishPatchModel, stepCrops, DEFAULT_PATCH_SCORING, type InspectionModel, type TrainingData,
} from '@gansight/ml';
import { numberFlag } from './number-flag';
import { parseModelKind, type ModelKindFlags } from './patch-flags';

// evaluate imports it from here.
export { numberFlag };

export interface TrainCommandOptions extends ModelKindFlags {
  data: string;
  out: string;
  size: string;
  channels: string;
  steps: string;
  batch: string;
  nf: string;
  zdim: string;
  seed: string;
  lr: string;
  checkpointEvery: string;
  sampleEvery: string;
  validation: string;
  mode: string;
  /** 'per-image' (default) or 'raw'; see docs/adr/0010. */
  intensity?: string;
  backend: string;
  threads: string;
  encoderSteps: string;
  /** Default: 100 for whole-image models, DEFAULT_PATCH_SCORING's for patch models. */
  invIters?: string;
  falseAlarmRate: string;
  resume?: boolean;
  ganOnly?: boolean;
  /** 'running' or 'precise': D's BatchNorm statistics for the feature scores. */
  dStatistics?: string;
  /** An MVTec folder whose train/good are the validation images (instead of a share of --data's). */
  validationData?: string;
  /** Comma-separated score kinds averaged into the combined score (default: the library's choice). */
  combine?: string;
}

/** Parses --combine: known, distinct score kinds other than 'combined'; exits 2 naming a bad one. */
export function combineKindsFlag(value: string | undefined): RawScoreKind[] | undefined {
  if (value === undefined) return undefined;
  const kinds = value.split(',').map((k) => k.trim()).filter((k) => k !== '');
  const known = SCORE_KINDS.filter((k) => k !== 'combined') as readonly string[];
  const bad = kinds.find((k) => !known.includes(k));
  if (kinds.length === 0 || bad !== undefined || new Set(kinds).size !== kinds.length) {
    process.stderr.write(`--combine takes distinct score kinds separated by commas, from: ${known.join(', ')}${bad !== undefined ? ` (got "${bad}")` : ''}\n`);
    process.exit(2);
  }
  return kinds as RawScoreKind[];
}

/** An ArtifactIO over a folder; writes go through a temporary name so a crash never leaves half a file. */
export function folderArtifactIO(dir: string): ArtifactIO {
  return {
    async write(name, bytes) {
      await mkdir(dir, { recursive: true });
      const tmp = join(dir, `.${name}.tmp`);
      await writeFile(tmp, bytes);
      await rename(tmp, join(dir, name));
    },
    read: async (name) => new Uint8Array(await readFile(join(dir, name))),
  };
}

export interface TrainingSplit {
  train: FloatImage[];
  validation: FloatImage[];
  validationPaths: string[];
}

async function loadTrainGood(data: string, o: { size: PreprocessOptions['size']; channels: 1 | 3; mode: ResizeMode; intensity?: IntensityMode }) {
  const items = (await listFolderDataset(data)).filter((i) => i.split === 'train');
  const { loaded, skipped } = await loadFolderDataset(items, { size: o.size, channels: o.channels, mode: o.mode, intensity: o.intensity ?? 'raw', concurrency: 4 });
  for (const s of skipped) process.stderr.write(`skipped ${s.item.path}: ${s.error.message}\n`);
  return loaded;
}

/**
 * Loads train/good at the model's size and holds out a seeded share of it as qualified
 * validation images, or, with `validationData`, takes every image of that folder's train/good
 * as validation and trains on all of `data`'s. Why the second: when a part is photographed
 * several times, a share drawn image by image leaves siblings of the validation images in
 * training, so the threshold is set on parts the model has seen and new parts raise more
 * false alarms than targeted (docs/results/notebook.md, round 6).
 */
export async function loadTrainingSplit(
  data: string,
  o: { size: PreprocessOptions['size']; channels: 1 | 3; mode: ResizeMode; intensity?: IntensityMode; validation: number; seed: number; validationData?: string },
): Promise<TrainingSplit> {
  const loaded = await loadTrainGood(data, o);
  let val;
  let train;
  if (o.validationData !== undefined) {
    val = await loadTrainGood(o.validationData, o);
    train = loaded;
    if (val.length === 0) throw new Error(`${o.validationData}/train/good has no readable images to calibrate on`);
  } else {
    // Fisher-Yates with a seeded stream: the same seed holds out the same images on every run.
    const rng = createRng(o.seed);
    const order = Array.from({ length: loaded.length }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const nVal = Math.round(loaded.length * o.validation);
    val = Array.from(order.slice(0, nVal), (i) => loaded[i]!);
    train = Array.from(order.slice(nVal), (i) => loaded[i]!);
  }
  if (train.length < 2) throw new Error(`${data}/train/good has ${loaded.length} readable images; at least 2 must remain for training`);
  return { train: train.map((l) => l.image), validation: val.map((l) => l.image), validationPaths: val.map((l) => l.path) };
}

/** Median width x height of images (they differ in size at a patch model's scale). */
function describeSizes(images: FloatImage[]): string {
  const mid = (v: number[]) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  return `median ${mid(images.map((i) => i.width))}x${mid(images.map((i) => i.height))} px`;
}

/** Stacks float images into one [N, H, W, C] tensor. */
export function imagesToTensor(images: FloatImage[]): tf.Tensor4D {
  const f = images[0]!;
  const all = new Float32Array(images.length * f.data.length);
  images.forEach((img, i) => all.set(img.data, i * f.data.length));
  return tf.tensor4d(all, [images.length, f.height, f.width, f.channels]);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

function progressBar(): cliProgress.SingleBar {
  return new cliProgress.SingleBar({
    format: 'step {value}/{total} [{bar}] D {d} G {g} D(x) {dx} D(G(z)) {dgz} | {ips} img/s | ETA {eta_formatted}',
    etaBuffer: 50, noTTYOutput: true, notTTYSchedule: 15000, hideCursor: true,
  }, cliProgress.Presets.shades_classic);
}

/** `gansight train --data DIR --out MODEL_DIR [...]`. */
export async function trainCommand(o: TrainCommandOptions): Promise<void> {
  const kind = parseModelKind(o);
  // A patch model's GAN generates tiles: its size is the patch, and images keep their aspect at the working scale.
  const size = kind.kind === 'patch' ? kind.geometry.patch : numberFlag(o.size, '--size', { min: 8, integer: true });
  const channels = numberFlag(o.channels, '--channels', { min: 1, integer: true });
  if (channels !== 1 && channels !== 3) { process.stderr.write('--channels must be 1 or 3\n'); process.exit(2); }
  const steps = numberFlag(o.steps, '--steps', { min: 0, integer: true });
  const batch = numberFlag(o.batch, '--batch', { min: 1, integer: true });
  const seed = numberFlag(o.seed, '--seed', { min: 0, integer: true });
  const validation = numberFlag(o.validation, '--validation', { min: 0 });
  const config = { size, channels, nf: numberFlag(o.nf, '--nf', { min: 1, integer: true }), zdim: numberFlag(o.zdim, '--zdim', { min: 1, integer: true }) };
  const mode = o.mode as ResizeMode;
  const intensity = (o.intensity ?? 'per-image') as IntensityMode;
  if (intensity !== 'raw' && intensity !== 'per-image') { process.stderr.write('--intensity must be raw or per-image\n'); process.exit(2); }
  const dStatistics = (o.dStatistics ?? 'running') as 'running' | 'precise';
  if (dStatistics !== 'running' && dStatistics !== 'precise') { process.stderr.write('--d-statistics must be precise or running\n'); process.exit(2); }
  const combineKinds = combineKindsFlag(o.combine);
  // Checked before training, not after it: a patch model computes fewer kinds than the whole-image one.
  const patchKinds = kind.kind === 'patch' ? PATCH_SCORE_KINDS.filter((k) => k !== 'defectMap' || kind.defectMap !== null) : null;
  const unknown = patchKinds && combineKinds?.find((k) => !patchKinds.includes(k));
  if (unknown) { process.stderr.write(`--combine: a patch model${kind.kind === 'patch' && !kind.defectMap ? ' without a defect map' : ''} computes ${patchKinds!.join(', ')}; "${unknown}" is not one of them\n`); process.exit(2); }
  const backend = await selectBackend(o.backend as BackendPreference, (m) => process.stderr.write(`${m}\n`), { threads: numberFlag(o.threads, '--threads', { min: 1, integer: true }) });
  const io = folderArtifactIO(o.out);
  await mkdir(join(o.out, 'samples'), { recursive: true });

  // Images whose short side would fall below the patch at the working scale are enlarged to it.
  const imageSize: PreprocessOptions['size'] = kind.kind === 'patch' ? { scale: kind.geometry.scale, minSide: kind.geometry.patch } : size;
  const split = await loadTrainingSplit(o.data, { size: imageSize, channels, mode, intensity, validation, seed, ...(o.validationData !== undefined ? { validationData: o.validationData } : {}) });
  if (kind.kind === 'patch') {
    checkCroppable([...split.train, ...split.validation], kind.geometry.patch);
    process.stderr.write(`data: ${split.train.length} training and ${split.validation.length} validation images at scale ${kind.geometry.scale} (${describeSizes(split.train)}), ${size}-px patches\n`);
  } else {
    process.stderr.write(`data: ${split.train.length} training and ${split.validation.length} validation images (${size}x${size}x${channels})\n`);
  }
  // Checked before training, not after it: a GAN run can take an hour.
  if (!o.ganOnly && split.validation.length < MIN_CALIBRATION_IMAGES) {
    process.stderr.write(`BAD_INPUT: calibration needs at least ${MIN_CALIBRATION_IMAGES} validation images, got ${split.validation.length} (raise --validation or add images to --validation-data)\n`);
    process.exit(2);
  }
  const hyper = {
    data: o.data, ...config, mode, intensity, steps, batch, seed, lr: Number(o.lr), backend: backend.kind, model: kind.kind,
    ...(kind.kind === 'patch' ? { patchGeometry: kind.geometry } : {}),
    ...(o.validationData !== undefined ? { validationData: o.validationData } : { validation }),
    validationImages: split.validationPaths.map((p) => p.split('/').pop()),
  };
  const dcgan: Dcgan = buildDcgan(config, seed);
  let resumeFrom;
  if (o.resume && (await exists(join(o.out, 'checkpoint.json')))) {
    resumeFrom = (await loadGanCheckpoint(io)).checkpoint;
    process.stderr.write(`resuming at step ${resumeFrom.step}\n`);
  } else if (o.resume) {
    process.stderr.write(`no checkpoint in ${o.out}; starting from scratch\n`);
  }
  // Whole-image models sample training images; patch models draw fresh random crops every step.
  const real: TrainingData = kind.kind === 'patch'
    ? (step, n) => tf.tensor4d(stepCrops(split.train, n, { patch: kind.geometry.patch, flips: kind.geometry.flips }, seed, step), [n, size, size, channels])
    : imagesToTensor(split.train);
  const bar = progressBar();
  bar.start(steps, resumeFrom ? Math.min(resumeFrom.step, steps) : 0, { d: '-', g: '-', dx: '-', dgz: '-', ips: '-' });
  // Ctrl-C (or SIGTERM) stops at the end of the step in flight with a checkpoint of that step.
  const stop = new AbortController();
  const onSignal = () => { stop.abort(); process.stderr.write('\nstopping after this step (a checkpoint is written)\n'); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const result = await trainGan(dcgan, real, {
    steps, batchSize: batch, seed, adam: { learningRate: Number(o.lr) }, resumeFrom,
    checkpointEvery: numberFlag(o.checkpointEvery, '--checkpoint-every', { min: 1, integer: true }),
    save: (ckpt) => saveGanCheckpoint(io, ckpt, { hyper }),
    sampleEvery: numberFlag(o.sampleEvery, '--sample-every', { min: 1, integer: true }),
    onSample: async (step, grid) => {
      const [h, w, c] = grid.shape;
      const data = tf.tidy(() => tf.sub(tf.mul(grid, 2), 1).dataSync() as Float32Array);
      grid.dispose();
      await writeFile(join(o.out, 'samples', `step-${String(step).padStart(6, '0')}.png`), await floatImageToPng({ width: w, height: h, channels: c as 1 | 3, data }));
    },
    onStep: (p) => bar.update(p.step, {
      d: p.dLoss.toFixed(3), g: p.gLoss.toFixed(3), dx: p.dReal.toFixed(2), dgz: p.dFake.toFixed(2), ips: p.imagesPerSecond.toFixed(1),
    }),
    signal: stop.signal,
  });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  bar.stop();
  if (typeof real !== 'function') real.dispose();
  if (result.stopped) {
    process.stderr.write(`stopped at step ${result.stepsCompleted} (checkpoint written); resume with --resume\n`);
    process.exit(130);
  }
  if (resumeFrom && resumeFrom.step >= steps) loadModelWeights(dcgan, resumeFrom);
  process.stderr.write(`trained ${result.stepsCompleted} steps\n`);
  if (o.ganOnly) {
    await saveInspectionModel(io, { dcgan, encoder: null, calibration: null, hyper });
    process.stderr.write(`saved the GAN to ${o.out} (not calibrated: run again with --resume to fit the encoder and calibrate)\n`);
    return;
  }
  const encoderSteps = numberFlag(o.encoderSteps, '--encoder-steps', { min: 0, integer: true });
  const falseAlarmRate = numberFlag(o.falseAlarmRate, '--false-alarm-rate', { min: 0 });
  const log = (m: string) => process.stderr.write(`${m}\n`);
  let model: InspectionModel;
  if (kind.kind === 'patch') {
    if (encoderSteps === 0) { process.stderr.write('--encoder-steps must be at least 1 for a patch model (its tiles start from the encoder)\n'); process.exit(2); }
    model = await finishPatchModel(dcgan, split.train, split.validation, {
      geometry: kind.geometry, encoderSteps, defectMap: kind.defectMap,
      scoring: { ...DEFAULT_PATCH_SCORING, iterations: o.invIters === undefined ? DEFAULT_PATCH_SCORING.iterations : numberFlag(o.invIters, '--inv-iters', { min: 0, integer: true }) },
      falseAlarmRate, seed, ...(combineKinds ? { combineKinds } : {}), log,
    });
  } else {
    model = await finishInspectionModel(dcgan, split.train, split.validation, {
      encoderSteps,
      scoring: { ...DEFAULT_SCORING, iterations: numberFlag(o.invIters ?? String(DEFAULT_SCORING.iterations), '--inv-iters', { min: 0, integer: true }) },
      falseAlarmRate,
      seed,
      discriminatorStatistics: dStatistics,
      ...(combineKinds ? { combineKinds } : {}),
      log,
    });
  }
  await saveInspectionModel(io, { ...model, hyper: { ...hyper, ...model.hyper } });
  const c = model.calibration!;
  process.stderr.write(`saved ${o.out}: threshold ${c.normalisation.threshold.toFixed(3)} on the combined score at false-alarm rate ${c.falseAlarmRate}\n`);
}
