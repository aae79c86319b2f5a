import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/select-backend';
import { conv2dBackpropInputViaConv as newF } from '../src/kernels/conv2d-backprop-input';
import { conv2dBackpropInputViaConv as oldF } from './_old-bpi';
await selectBackend('wasm', undefined, { threads: 2 });
const layers = [[4, 256], [8, 128], [16, 64], [32, 32]];
for (let rep = 0; rep < 3; rep++) for (const [s, c] of layers) {
  const dy = tf.randomNormal([16, s!, s!, c!]) as tf.Tensor4D;
  const f = tf.randomNormal([4, 4, c! / 2, c!]) as tf.Tensor4D;
  const args = { strides: 2 as const, pad: 'same' as const, inputShape: [16, 2 * s!, 2 * s!, c! / 2] as [number, number, number, number] };
  const time = async (fn: typeof newF) => { for (let i = 0; i < 2; i++) { const y = fn(dy, f, args); await y.data(); y.dispose(); } const t = performance.now(); for (let i = 0; i < 5; i++) { const y = fn(dy, f, args); await y.data(); y.dispose(); } return ((performance.now() - t) / 5).toFixed(1); };
  console.log(s, c, 'old', await time(oldF), 'new', await time(newF), 'old', await time(oldF));
  tf.dispose([dy, f]);
}
process.exit(0);
