// Image patches laid out tap-major for a filter gradient: P[(a * kw + b) * ci + c, p] is the
// input pixel that tap (a, b), channel c met at output position p = (n * oh + i) * ow + j
// (zero where the tap fell in the padding). dW = P @ dy then needs one plain matMul, the
// XNNPACK fast path (see conv2d-backprop-filter.ts for when this beats one dilated conv).
import * as tf from '@tensorflow/tfjs';
import { jsKernelRegistration, kernelArrays } from './js-kernel-io';

const PATCHES = 'GansightPatchesTapMajor';

export interface PatchGeometry {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  top: number;
  left: number;
  oh: number;
  ow: number;
}

/** Registers the kernel for wasm and cpu (idempotent). */
export const registerPatchesKernel = jsKernelRegistration({
  [PATCHES]: (backendName, { inputs, backend, attrs }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    const [n, h, w, ci] = x.shape as [number, number, number, number];
    const g = attrs as unknown as PatchGeometry;
    const positions = n * g.oh * g.ow;
    const io = kernelArrays(backendName, backend, [x], [[g.kh * g.kw * ci, positions]]);
    const src = io.inputs[0]!;
    const out = io.outputs[0]!;
    for (let a = 0; a < g.kh; a++) {
      for (let b = 0; b < g.kw; b++) {
        for (let c = 0; c < ci; c++) {
          let o = ((a * g.kw + b) * ci + c) * positions;
          for (let s = 0; s < n; s++) {
            for (let i = 0; i < g.oh; i++) {
              const r = i * g.sh + a - g.top;
              if (r < 0 || r >= h) {
                out.fill(0, o, o + g.ow);
                o += g.ow;
                continue;
              }
              const row = (s * h + r) * w;
              for (let j = 0; j < g.ow; j++) {
                const col = j * g.sw + b - g.left;
                out[o++] = col >= 0 && col < w ? src[(row + col) * ci + c]! : 0;
              }
            }
          }
        }
      }
    }
    return io.infos[0]!;
  },
});

/** Tap-major patches [kh * kw * ci, n * oh * ow] of x [n, h, w, ci]. JS-kernel backends only; no gradient. */
export function patchesTapMajor(x: tf.Tensor4D, g: PatchGeometry): tf.Tensor2D {
  registerPatchesKernel();
  return tf.engine().runKernel(PATCHES, { x }, g as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}
