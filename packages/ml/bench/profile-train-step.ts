// Where a training step's time goes on wasm: wraps every registered wasm kernel with a timer
// (wasm kernels run synchronously inside kernelFunc, so wall time per call is the kernel's
// time; tf.profile hung on the threaded backend). Prints the step's wall time and the top
// kernels by total time.
// node --import tsx packages/ml/bench/profile-train-step.ts [--size 64 --nf 32 --batch 16 --steps 10]
// PROFILE_FUSED=off runs the composed tf ops instead of our fused kernels; PROFILE_SIMD=off the
// fused kernels' plain JS loops instead of the SIMD ones.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/select-backend';
import { parseBenchmarkArgs } from '../src/bench/run-benchmark';
import { buildDcgan } from '../src/dcgan/dcgan-model';
import { createTrainer, trainStep } from '../src/dcgan/train-step';
import { registerJsKernels } from '../src/kernels/register-js-kernels';
import { configureKernels } from '../src/kernels/kernel-settings';

const a = parseBenchmarkArgs(process.argv.slice(2));
await selectBackend('wasm', undefined, { threads: a.threads });
// Registered lazily otherwise: register now so they are wrapped too.
registerJsKernels();
configureKernels({ fused: process.env.PROFILE_FUSED !== 'off', simd: process.env.PROFILE_SIMD !== 'off' });
const totals = new Map<string, { ms: number; calls: number }>();
let recording = false;
const childMs: number[] = [];
// PROFILE_DETAIL=Conv2D,Transpose splits those kernels by input shapes and attributes.
const detail = new Set((process.env.PROFILE_DETAIL ?? '').split(',').filter(Boolean));
function describe(args: { inputs: Record<string, tf.TensorInfo | undefined>; attrs?: Record<string, unknown> }): string {
  const shapes = Object.values(args.inputs).map((t) => t?.shape.join('x')).join(' ');
  const attrs = Object.entries(args.attrs ?? {})
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object' || Array.isArray(v))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ');
  return `${shapes} ${attrs}`;
}
for (const k of tf.getKernelsForBackend('wasm')) {
  const inner = k.kernelFunc;
  tf.unregisterKernel(k.kernelName, 'wasm');
  tf.registerKernel({
    ...k,
    kernelFunc: ((args: Parameters<typeof inner>[0]) => {
      if (!recording) return inner(args);
      // Self time: kernels composed of other kernels (ours) exclude their children.
      const t = performance.now();
      childMs.push(0);
      const out = inner(args);
      const own = performance.now() - t;
      const children = childMs.pop()!;
      if (childMs.length > 0) childMs[childMs.length - 1]! += own;
      const key = detail.has(k.kernelName) ? `${k.kernelName} ${describe(args)}` : k.kernelName;
      const e = totals.get(key) ?? { ms: 0, calls: 0 };
      e.ms += own - children;
      e.calls++;
      totals.set(key, e);
      return out;
    }) as typeof inner,
  });
}
const model = buildDcgan({ size: a.size, nf: a.nf, zdim: a.zdim, channels: a.channels }, 0);
const trainer = createTrainer(model);
const real = tf.randomUniform([a.batch, a.size, a.size, a.channels], -1, 1, 'float32', 1) as tf.Tensor4D;
const step = async (i: number) => {
  const z = tf.randomNormal([a.batch, a.zdim], 0, 1, 'float32', 100 + i) as tf.Tensor2D;
  await trainStep(trainer, real, z);
  z.dispose();
};
for (let i = 0; i < 2; i++) await step(i);
const c0 = process.cpuUsage();
const t0 = performance.now();
recording = true;
for (let i = 0; i < a.steps; i++) await step(10 + i);
recording = false;
const wall = (performance.now() - t0) / a.steps;
const cu = process.cpuUsage(c0);
const kernelMs = [...totals.values()].reduce((s, e) => s + e.ms, 0) / a.steps;
console.log(`step ${wall.toFixed(1)} ms wall, ${((cu.user + cu.system) / 1e3 / a.steps).toFixed(1)} ms CPU, kernels ${kernelMs.toFixed(1)} ms`);
for (const [name, e] of [...totals].sort((x, y) => y[1].ms - x[1].ms).slice(0, Number(process.env.PROFILE_TOP ?? 25))) {
  console.log(`${name.padEnd(28)} ${(e.ms / a.steps).toFixed(1).padStart(7)} ms  x${e.calls / a.steps}`);
}
process.exit(0);
