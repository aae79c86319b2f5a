// The pixel shuffle that ends a phase-split transposed convolution, in one JS pass (see
// js-kernel-io.ts): output pixel (s*q + r) comes from phase r's pixel q. Composed from tf ops
// it was a channel concat, a rank-4 transpose and sometimes a crop: three copies instead of one.
import * as tf from '@tensorflow/tfjs';
import { jsKernelRegistration, kernelArrays } from './js-kernel-io';

const INTERLEAVE = 'GansightInterleavePhases';

interface Attrs { sh: number; sw: number; h: number; w: number }

/** Registers the kernel for wasm and cpu (idempotent). */
export const registerInterleaveKernel = jsKernelRegistration({
  [INTERLEAVE]: (backendName, { inputs, backend, attrs }) => {
    const { sh, sw, h, w } = attrs as unknown as Attrs;
    const phases = Object.keys(inputs).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))).map((k) => inputs[k]!);
    const [n, qh, qw, c] = phases[0]!.shape as [number, number, number, number];
    const io = kernelArrays(backendName, backend, phases, [[n, h, w, c]]);
    const out = io.outputs[0]!;
    for (let b = 0; b < n; b++) {
      for (let y = 0; y < h; y++) {
        const i = Math.floor(y / sh);
        const rh = y - i * sh;
        for (let x = 0; x < w; x++) {
          const j = Math.floor(x / sw);
          const src = io.inputs[rh * sw + (x - j * sw)]!;
          const from = ((b * qh + i) * qw + j) * c;
          const to = ((b * h + y) * w + x) * c;
          for (let k = 0; k < c; k++) out[to + k] = src[from + k]!;
        }
      }
    }
    return io.infos[0]!;
  },
});

/**
 * Interleaves sh*sw phase outputs [n, qh, qw, c] (row-major phase order) into [n, h, w, c],
 * h <= sh*qh, w <= sw*qw. JS-kernel backends only; no gradient (used inside kernels and
 * custom-gradient forwards).
 */
export function interleavePhases(phases: tf.Tensor4D[], sh: number, sw: number, h: number, w: number): tf.Tensor4D {
  registerInterleaveKernel();
  const inputs: Record<string, tf.Tensor> = {};
  phases.forEach((p, i) => { inputs[`p${i}`] = p; });
  return tf.engine().runKernel(INTERLEAVE, inputs, { sh, sw, h, w }) as tf.Tensor4D;
}
