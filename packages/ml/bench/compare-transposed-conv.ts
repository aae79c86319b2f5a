// Micro-benchmark: transposed conv (k4 s2) as per-phase convolutions vs one combined
// convolution, with precomputed filters. Edit `layers`/OUT for other shapes.
// node --import tsx packages/ml/bench/compare-transposed-conv.ts
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/select-backend';
import { applyTransposedConv, phaseFilters, planTransposedConv } from '../src/kernels/conv2d-backprop-input';
await selectBackend('wasm', undefined, { threads: 2 });
const layers = [[32, 32]] as const; const OUT = 1;
const N = 16;
for (const [s, c] of layers) {
  const x = tf.randomNormal([N, s, s, c]) as tf.Tensor4D;
  const W = tf.randomNormal([4, 4, OUT, c]) as tf.Tensor4D;
  const plan = planTransposedConv([1, 2 * s, 2 * s, OUT], W.shape, 2, 'same');
  const ph = phaseFilters(W, plan);
  // combined 3x3: window offsets -1..1; phase r=0 uses offsets -1,0 taps (3,1); r=1 uses 0,1 taps (2,0)
  const tapsFor = [[3, 1, -1], [-1, 2, 0]]; // window t=0..2 -> filter index
  const wcData = tf.tidy(() => {
    const Wt = tf.transpose(W, [0, 1, 3, 2]); // [4,4,c,c/2]
    const zero = tf.zerosLike(tf.slice(Wt, [0, 0, 0, 0], [1, 1, -1, -1]));
    const rows: tf.Tensor[] = [];
    for (let th = 0; th < 3; th++) { const cols: tf.Tensor[] = []; for (let tw = 0; tw < 3; tw++) { const parts: tf.Tensor[] = []; for (let rh = 0; rh < 2; rh++) for (let rw = 0; rw < 2; rw++) { const a = tapsFor[rh]![th]!, b = tapsFor[rw]![tw]!; parts.push(a < 0 || b < 0 ? zero : tf.slice(Wt, [a, b, 0, 0], [1, 1, -1, -1])); } cols.push(tf.concat(parts, 3)); } rows.push(tf.concat(cols, 1)); }
    return tf.concat(rows, 0) as tf.Tensor4D;
  });
  const combined = (inp: tf.Tensor4D) => tf.tidy(() => { const o = tf.conv2d(inp, wcData as tf.Tensor4D, 1, [[0, 0], [1, 1], [1, 1], [0, 0]]); return tf.reshape(tf.transpose(tf.reshape(o, [N * s, s, 2, 2 * OUT]), [0, 2, 1, 3]), [N, 2 * s, 2 * s, OUT]); });
  const phased = (inp: tf.Tensor4D) => applyTransposedConv(inp, ph, plan);
  const ref = tf.conv2dTranspose(x, W, [N, 2 * s, 2 * s, OUT], 2, 'same');
  const e1 = tf.tidy(() => tf.max(tf.abs(tf.sub(combined(x), ref))).dataSync()[0]);
  const time = async (f: (i: tf.Tensor4D) => tf.Tensor) => { for (let i = 0; i < 3; i++) { const y = f(x); await y.data(); y.dispose(); } const c0 = process.cpuUsage(); const t = performance.now(); for (let i = 0; i < 20; i++) { const y = f(x); await y.data(); y.dispose(); } const cu = process.cpuUsage(c0); return `wall ${((performance.now() - t) / 20).toFixed(2)} cpu ${((cu.user + cu.system) / 1e3 / 20).toFixed(2)}`; };
  console.log(s, c, 'err', e1, '| phased', await time(phased), '| combined', await time(combined), '| phased', await time(phased), '| combined', await time(combined));
}
process.exit(0);
