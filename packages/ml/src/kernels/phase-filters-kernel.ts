// The stride-phase sub-filters of a transposed convolution in one JS pass (see
// js-kernel-io.ts): each phase filter [jh, jw, cy, cx] takes taps (a, b) of the filter
// [kh, kw, cx, cy] with its channel axes swapped. Why: composed from tf ops this was a full
// transpose plus one small selection matMul per phase, and XNNPACK packs the large operand
// of every such matMul anew: ~30 ms of a 64x64 training step, for what is a copy.
import * as tf from '@tensorflow/tfjs';
import { jsKernelRegistration, kernelArrays } from './js-kernel-io';

const PHASE_FILTERS = 'GansightPhaseFilters';

/** Taps per phase: rows[i] and cols[j] list the filter rows and columns of phase (i, j). */
export interface PhaseTaps {
  rows: number[][];
  cols: number[][];
}

// dst[o * cx + i] = src[i * cy + o], in 32 x 32 tiles so both sides stay in cache.
function transposeBlock(src: Float32Array, srcOff: number, dst: Float32Array, dstOff: number, cx: number, cy: number): void {
  const T = 32;
  for (let i0 = 0; i0 < cx; i0 += T) {
    const i1 = Math.min(cx, i0 + T);
    for (let o0 = 0; o0 < cy; o0 += T) {
      const o1 = Math.min(cy, o0 + T);
      for (let i = i0; i < i1; i++) {
        const s = srcOff + i * cy;
        for (let o = o0; o < o1; o++) dst[dstOff + o * cx + i] = src[s + o]!;
      }
    }
  }
}

/** Registers the kernel for wasm and cpu (idempotent). */
export const registerPhaseFiltersKernel = jsKernelRegistration({
  [PHASE_FILTERS]: (backendName, { inputs, backend, attrs }) => {
    const { filter } = inputs as { filter: tf.TensorInfo };
    const [kh, kw, cx, cy] = filter.shape as [number, number, number, number];
    void kh;
    const taps = JSON.parse((attrs as { taps: string }).taps) as PhaseTaps;
    const phases = taps.rows.flatMap((r) => taps.cols.map((c) => [r, c] as const)).filter(([r, c]) => r.length * c.length > 0);
    const io = kernelArrays(backendName, backend, [filter], phases.map(([r, c]) => [r.length, c.length, cy, cx]));
    const src = io.inputs[0]!;
    phases.forEach(([r, c], p) => {
      const dst = io.outputs[p]!;
      let t = 0;
      for (const a of r) {
        for (const b of c) transposeBlock(src, (a * kw + b) * cx * cy, dst, (t++) * cx * cy, cx, cy);
      }
    });
    return io.infos;
  },
});

/** Phase filters in row-major phase order, skipping phases with no tap. JS-kernel backends only. */
export function phaseFiltersKernel(filter: tf.Tensor4D, taps: PhaseTaps): tf.Tensor4D[] {
  registerPhaseFiltersKernel();
  const out = tf.engine().runKernel(PHASE_FILTERS, { filter }, { taps: JSON.stringify(taps) });
  return (Array.isArray(out) ? out : [out]) as tf.Tensor4D[];
}
