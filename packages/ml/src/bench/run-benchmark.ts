// The speed benchmark of packages/ml/bench/README.md: same network, flags and JSON keys as the
// PyTorch peer (../shared/peer/dcgan_torch.py), so one line from each can be compared side by side.
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendPreference } from '../backend/select-backend';
import { buildDcgan, disposeDcgan } from '../dcgan/dcgan-model';
import { createTrainer, disposeTrainer, trainStep } from '../dcgan/train-step';
import { disposeFrozenGenerator, freezeGenerator, frozenGeneratorForward } from '../dcgan/forward';
import { reconstructionLossPerImage, type ReconstructionLoss } from '../inversion/reconstruction-loss';

export interface BenchmarkArgs {
  size: number;
  nf: number;
  batch: number;
  zdim: number;
  channels: number;
  steps: number;
  invIters: number;
  loss: ReconstructionLoss;
  threads: number;
  backend: BackendPreference;
}

export const DEFAULT_BENCHMARK_ARGS: BenchmarkArgs = {
  size: 64, nf: 32, batch: 16, zdim: 100, channels: 1, steps: 5, invIters: 10, loss: 'lap1', threads: 2, backend: 'auto',
};

export interface BenchmarkResult {
  framework: string;
  threads: number;
  size: number;
  nf: number;
  batch: number;
  channels: number;
  loss: ReconstructionLoss;
  train_step_ms: number;
  train_images_per_s: number;
  inversion_ms_per_image_iter: number;
  peak_rss_mb: number;
}

/** Parses the peer's flags (`--size 64 --inv-iters 10 ...`, also `--flag=value`); unknown flags throw. */
export function parseBenchmarkArgs(argv: string[]): BenchmarkArgs {
  const a: BenchmarkArgs = { ...DEFAULT_BENCHMARK_ARGS };
  const numeric: Record<string, keyof BenchmarkArgs> = {
    size: 'size', nf: 'nf', batch: 'batch', zdim: 'zdim', channels: 'channels', steps: 'steps', 'inv-iters': 'invIters', threads: 'threads',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const name = flag.replace(/^--/, '');
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`missing value for ${flag}`);
    if (name in numeric) {
      const v = Number(value);
      if (!Number.isInteger(v) || v <= 0) throw new Error(`${flag} needs a positive integer, got ${value}`);
      (a as unknown as Record<string, number>)[numeric[name]!] = v;
    } else if (name === 'loss') {
      if (value !== 'lap1' && value !== 'l1') throw new Error(`--loss must be lap1 or l1, got ${value}`);
      a.loss = value;
    } else if (name === 'backend') {
      if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(value)) throw new Error(`--backend must be auto|tensorflow|wasm|cpu`);
      a.backend = value as BackendPreference;
    } else {
      throw new Error(`unknown flag ${flag}`);
    }
  }
  return a;
}

// Peak resident memory of the process: Node reports ru_maxrss in kilobytes, like Python.
function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Runs the timed training steps and inversion iterations (packages/ml/bench/README.md); returns the JSON record. */
export async function runBenchmark(args: Partial<BenchmarkArgs> = {}, log: (m: string) => void = () => undefined): Promise<BenchmarkResult> {
  const a = { ...DEFAULT_BENCHMARK_ARGS, ...args };
  const backend = await selectBackend(a.backend, log, { threads: a.threads });
  const model = buildDcgan({ size: a.size, nf: a.nf, zdim: a.zdim, channels: a.channels }, 0);
  const trainer = createTrainer(model);
  const real = tf.randomUniform([a.batch, a.size, a.size, a.channels], -1, 1, 'float32', 1) as tf.Tensor4D;
  const step = async (i: number) => {
    const z = tf.randomNormal([a.batch, a.zdim], 0, 1, 'float32', 100 + i) as tf.Tensor2D;
    await trainStep(trainer, real, z);
    z.dispose();
  };
  await step(0);
  let t = performance.now();
  for (let i = 1; i <= a.steps; i++) await step(i);
  const stepMs = (performance.now() - t) / a.steps;

  // Inversion step exactly as the peer times it: G frozen, one SGD(0.1) step on z for the batch.
  const frozen = freezeGenerator(model.generator);
  const target = tf.randomUniform([a.batch, a.size, a.size, a.channels], -1, 1, 'float32', 2) as tf.Tensor4D;
  const z = tf.variable(tf.randomNormal([a.batch, a.zdim], 0, 1, 'float32', 3));
  const opt = tf.train.sgd(0.1);
  const invStep = async () => {
    const loss = opt.minimize(() => tf.mean(reconstructionLossPerImage(frozenGeneratorForward(frozen, z as unknown as tf.Tensor2D), target, a.loss)), true, [z]);
    await loss!.data(); // wait for the work, as PyTorch's synchronous step does
    loss!.dispose();
  };
  await invStep();
  t = performance.now();
  for (let i = 0; i < a.invIters; i++) await invStep();
  const invMs = (performance.now() - t) / a.invIters;
  tf.dispose([real, target, z]);
  opt.dispose();
  disposeFrozenGenerator(frozen);
  disposeTrainer(trainer);
  disposeDcgan(model);
  const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
  return {
    framework: `tfjs-${tf.version_core}-${backend.kind}${backend.kind === 'wasm' ? (backend.simd ? '-simd' : '') : ''}`,
    threads: backend.threads, size: a.size, nf: a.nf, batch: a.batch, channels: a.channels, loss: a.loss,
    train_step_ms: round(stepMs, 1), train_images_per_s: round((a.batch * 1000) / stepMs, 2),
    inversion_ms_per_image_iter: round(invMs / a.batch, 3), peak_rss_mb: round(peakRssMb(), 1),
  };
}
