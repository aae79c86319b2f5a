// Where a defect-map training step's time goes on wasm (kernel self times, as profile-train-step.ts).
// node --import tsx packages/ml/bench/profile-defect-map.ts [--nf 16 --batch 16 --crop 64 --channels 2]
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/select-backend';
import { registerJsKernels } from '../src/kernels/register-js-kernels';
import { buildDefectMapNet, defectMapForward, defectMapVariables } from '../src/patch/defect-map-net';
import { focalLoss } from '../src/patch/train-defect-map';
import { Adam } from '../src/dcgan/adam';

const arg = (name: string, d: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1]! : d; };
const nf = Number(arg('nf', '16')); const batch = Number(arg('batch', '16')); const crop = Number(arg('crop', '64'));
const channels = Number(arg('channels', '2'));
await selectBackend('wasm', undefined, { threads: Number(arg('threads', '2')) });
registerJsKernels();
const totals = new Map<string, { ms: number; calls: number }>();
let recording = false;
const childMs: number[] = [];
for (const k of tf.getKernelsForBackend('wasm')) {
  const inner = k.kernelFunc;
  tf.unregisterKernel(k.kernelName, 'wasm');
  tf.registerKernel({
    ...k,
    kernelFunc: ((args: Parameters<typeof inner>[0]) => {
      if (!recording) return inner(args);
      const t = performance.now();
      childMs.push(0);
      const out = inner(args);
      const own = performance.now() - t;
      const children = childMs.pop()!;
      if (childMs.length > 0) childMs[childMs.length - 1]! += own;
      const key = `${k.kernelName} ${Object.values(args.inputs).map((i) => i?.shape.join('x')).join(' ')}`;
      const e = totals.get(key) ?? { ms: 0, calls: 0 };
      e.ms += own - children;
      e.calls++;
      totals.set(key, e);
      return out;
    }) as typeof inner,
  });
}
const net = buildDefectMapNet({ inputChannels: channels, nf });
const vars = defectMapVariables(net);
const adam = new Adam(vars, { learningRate: 1e-3, beta1: 0.9 });
const x = tf.randomUniform([batch, crop, crop, channels], -1, 1) as tf.Tensor4D;
const t = tf.cast(tf.greater(tf.randomUniform([batch, crop, crop, 1]), 0.9), 'float32');
const step = async () => {
  const l = tf.tidy(() => { const { value, grads } = tf.variableGrads(() => focalLoss(defectMapForward(net, x), t), vars); adam.apply(vars.map((v) => grads[v.name]!)); return value; });
  await l.data(); l.dispose();
};
await step();
const steps = 3;
recording = true;
const t0 = performance.now();
for (let i = 0; i < steps; i++) await step();
recording = false;
console.log(`step ${((performance.now() - t0) / steps).toFixed(0)} ms`);
for (const [name, e] of [...totals].sort((p, q) => q[1].ms - p[1].ms).slice(0, 25)) console.log(`${name.padEnd(60)} ${(e.ms / steps).toFixed(1).padStart(7)} ms x${e.calls / steps}`);
process.exit(0);
