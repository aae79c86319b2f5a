// One Adam update of a parameter tensor as a single JS kernel: new moments and new value in one
// pass over memory, where the composed version runs ~10 wasm element-wise kernels (see
// js-kernel-io.ts for why JS). Same arithmetic as dcgan/adam.ts's composed update. Runs as
// WebAssembly SIMD (simd/) where the runtime has it, else the JS loop below (also the SIMD
// loop's reference in tests).
import * as tf from '@tensorflow/tfjs';
import { jsKernelRegistration, kernelArrays } from './js-kernel-io';
import type { AdamLoop } from './simd/loop-contracts';
import { simdAdamLoop } from './simd/simd-loops';
import { kernelSettings, SIMD_MAX_BYTES } from './kernel-settings';

const ADAM = 'GansightAdamUpdate';

export interface AdamUpdateAttrs {
  /** Learning rate with both bias corrections folded in. */
  stepSize: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** The plain JS loop: the fallback without WebAssembly SIMD, and the SIMD loop's reference. */
export const jsAdamLoop: AdamLoop = (p, g, m, v, a, pOut, mOut, vOut) => {
  const { stepSize, beta1, beta2, epsilon } = a;
  const g1 = 1 - beta1;
  const g2 = 1 - beta2;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i]!;
    const mi = beta1 * m[i]! + g1 * gi;
    const vi = beta2 * v[i]! + g2 * gi * gi;
    mOut[i] = mi;
    vOut[i] = vi;
    pOut[i] = p[i]! - stepSize * (mi / (Math.sqrt(vi) + epsilon));
  }
};

// SIMD when available and switched on, unless the call would stage more than SIMD_MAX_BYTES
// (seven arrays: three in, one read twice, three out).
const adamUpdate: AdamLoop = (p, ...rest) =>
  (simdAdamLoop && kernelSettings().simd && p.length * 28 <= SIMD_MAX_BYTES ? simdAdamLoop : jsAdamLoop)(p, ...rest);

/** Registers the kernel for wasm and cpu (idempotent). */
export const registerAdamKernel = jsKernelRegistration({
  [ADAM]: (backendName, { inputs, backend, attrs }) => {
    const { param, grad, m, v } = inputs as Record<string, tf.TensorInfo>;
    const io = kernelArrays(backendName, backend, [param!, grad!, m!, v!], [param!.shape, param!.shape, param!.shape]);
    const [pv, gv, mv, vv] = io.inputs as Float32Array[];
    adamUpdate(pv!, gv!, mv!, vv!, attrs as unknown as AdamUpdateAttrs, io.outputs[0]!, io.outputs[1]!, io.outputs[2]!);
    return io.infos;
  },
});

/** New [param, m, v] after one Adam step. Only on backends with JS kernels (see jsKernelsActive). */
export function fusedAdamUpdate(param: tf.Tensor, grad: tf.Tensor, m: tf.Tensor, v: tf.Tensor, attrs: AdamUpdateAttrs): [tf.Tensor, tf.Tensor, tf.Tensor] {
  registerAdamKernel();
  return tf.engine().runKernel(ADAM, { param, grad, m, v }, attrs as unknown as tf.NamedAttrMap) as [tf.Tensor, tf.Tensor, tf.Tensor];
}
