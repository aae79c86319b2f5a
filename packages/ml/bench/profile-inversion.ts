// Profiles one inversion iteration (size 64, nf 32, batch 16) on wasm: wall and CPU time,
// G forward, loss forward+backward, and tf.profile kernel times.
// LOSS=lap1|l1 node --import tsx packages/ml/bench/profile-inversion.ts
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/select-backend';
import { buildDcgan } from '../src/dcgan/dcgan-model';
import { freezeGenerator, frozenGeneratorForward } from '../src/dcgan/forward';
import { reconstructionLossPerImage } from '../src/inversion/reconstruction-loss';
await selectBackend('wasm', undefined, { threads: 2 });
const m = buildDcgan({ size: 64, nf: 32 });
const f = freezeGenerator(m.generator);
const target = tf.randomUniform([16, 64, 64, 1], -1, 1) as tf.Tensor4D;
const z = tf.variable(tf.randomNormal([16, 100]));
const opt = tf.train.sgd(0.1);
const loss = (process.env.LOSS ?? 'lap1') as 'lap1';
const step = async () => { const l = opt.minimize(() => tf.mean(reconstructionLossPerImage(frozenGeneratorForward(f, z as unknown as tf.Tensor2D), target, loss)), true, [z]); await l!.data(); l!.dispose(); };
for (let i = 0; i < 3; i++) await step();
const c0 = process.cpuUsage(); let t = performance.now(); for (let i = 0; i < 10; i++) await step(); const cu = process.cpuUsage(c0); console.log('inv iter ms', (performance.now() - t) / 10, 'cpu ms', (cu.user + cu.system) / 1e4);
t = performance.now(); for (let i = 0; i < 10; i++) { const y = frozenGeneratorForward(f, z as unknown as tf.Tensor2D); await y.data(); y.dispose(); } console.log('G fwd ms', (performance.now() - t) / 10);
const y0 = frozenGeneratorForward(f, z as unknown as tf.Tensor2D);
t = performance.now(); for (let i = 0; i < 10; i++) { const l = tf.tidy(() => tf.grad((a: tf.Tensor) => tf.sum(reconstructionLossPerImage(a as tf.Tensor4D, target, loss)))(y0)); await l.data(); l.dispose(); } console.log('loss fwd+bwd ms', (performance.now() - t) / 10);
const p = await tf.profile(async () => { await step(); });
const agg: Record<string, [number, number]> = {};
for (const k of p.kernels) { const e = agg[k.name] ?? [0, 0]; e[0] += k.kernelTimeMs as number; e[1]++; agg[k.name] = e; }
console.log(Object.entries(agg).sort((a, b) => b[1][0] - a[1][0]).slice(0, 14).map(([k, [ms, n]]) => `${k} ${ms.toFixed(1)}ms x${n}`).join('\n'));
process.exit(0);
