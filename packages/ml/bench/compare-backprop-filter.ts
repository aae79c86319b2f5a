// Micro-benchmark: Conv2DBackpropFilter as one dilated convolution vs tap-major patches (JS
// kernel) + one matMul vs im2col from tf ops + matMul,
// on the discriminator layer shapes of size 64 / nf 32 / batch 16.
// node --import tsx packages/ml/bench/compare-backprop-filter.ts
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/select-backend';
import { conv2dBackpropFilterViaConv } from '../src/kernels/conv2d-backprop-filter';
await selectBackend('wasm', undefined, { threads: 2 });
// im2col + one matMul: the formulation ENVIRONMENT.md measured first.
function viaIm2col(x: tf.Tensor4D, dy: tf.Tensor4D, k: number, s: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, , , ci] = x.shape; const [, oh, ow, co] = dy.shape;
    const xp = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
    const cols: tf.Tensor[] = [];
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) cols.push(tf.stridedSlice(xp, [0, a, b, 0], [n, a + (oh - 1) * s + 1, b + (ow - 1) * s + 1, ci], [1, s, s, 1]));
    const m = tf.reshape(tf.concat(cols, 3), [n * oh * ow, k * k * ci]);
    return tf.reshape(tf.matMul(tf.transpose(m), tf.reshape(dy, [n * oh * ow, co])), [k, k, ci, co]) as tf.Tensor4D;
  });
}
const shapes = [[64, 1, 32], [32, 32, 64], [16, 64, 128], [8, 128, 256]] as const; // D: input side, ci, co
for (const [h, ci, co] of shapes) {
  const x = tf.randomNormal([16, h, h, ci]) as tf.Tensor4D; const dy = tf.randomNormal([16, h / 2, h / 2, co]) as tf.Tensor4D;
  const conv = () => conv2dBackpropFilterViaConv(x, dy, { strides: 2, pad: 'same', filterShape: [4, 4, ci, co] }, 'dilated-conv');
  const patches = () => conv2dBackpropFilterViaConv(x, dy, { strides: 2, pad: 'same', filterShape: [4, 4, ci, co] }, 'patches');
  const im2 = () => viaIm2col(x, dy, 4, 2);
  const e = tf.tidy(() => tf.max(tf.abs(tf.sub(conv(), im2()))).dataSync()[0]);
  const ep = tf.tidy(() => tf.max(tf.abs(tf.sub(conv(), patches()))).dataSync()[0]);
  const time = async (f: () => tf.Tensor) => { for (let i = 0; i < 2; i++) { const y = f(); await y.data(); y.dispose(); } const c0 = process.cpuUsage(); const t = performance.now(); for (let i = 0; i < 10; i++) { const y = f(); await y.data(); y.dispose(); } const cu = process.cpuUsage(c0); return `wall ${((performance.now() - t) / 10).toFixed(1)} cpu ${((cu.user + cu.system) / 1e3 / 10).toFixed(1)}`; };
  console.log(`x[16,${h},${h},${ci}] dy co ${co} maxdiff ${e?.toExponential(1)} / ${ep?.toExponential(1)} | conv ${await time(conv)} | patches ${await time(patches)} | im2col ${await time(im2)} | conv ${await time(conv)} | patches ${await time(patches)}`);
  tf.dispose([x, dy]);
}
process.exit(0);
