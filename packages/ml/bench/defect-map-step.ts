// Time per training step and per inspection pass of the defect map on this machine.
// node --import tsx packages/ml/bench/defect-map-step.ts [--nf 16 --batch 16 --crop 64 --channels 2 --side 256x320]
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/select-backend';
import { buildDefectMapNet, defectMapForward, defectMapProbabilities, defectMapVariables } from '../src/patch/defect-map-net';
import { focalLoss } from '../src/patch/train-defect-map';
import { Adam } from '../src/dcgan/adam';

const arg = (name: string, d: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1]! : d; };
const nf = Number(arg('nf', '16')); const batch = Number(arg('batch', '16')); const crop = Number(arg('crop', '64'));
const channels = Number(arg('channels', '2')); const [sh, sw] = arg('side', '256x320').split('x').map(Number) as [number, number];
const backend = await selectBackend((arg('backend', 'wasm')) as 'wasm', undefined, { threads: Number(arg('threads', '2')) });
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
let t0 = performance.now();
for (let i = 0; i < 5; i++) await step();
const stepMs = (performance.now() - t0) / 5;
const img = tf.randomUniform([1, sh, sw, channels], -1, 1) as tf.Tensor4D;
const fwd = async () => { const p = defectMapProbabilities(net, img); await p.data(); p.dispose(); };
await fwd();
t0 = performance.now();
for (let i = 0; i < 3; i++) await fwd();
const fwdMs = (performance.now() - t0) / 3;
console.log(JSON.stringify({ backend: backend.kind, nf, batch, crop, channels, trainStepMs: Math.round(stepMs), inspect: `${sh}x${sw}`, inspectMs: Math.round(fwdMs), numTensors: tf.memory().numTensors }));
