// The inner loops of the fused kernels, as contracts two implementations keep: plain JS (the
// fallback and the reference, in batch-norm-activation.ts and adam-update.ts) and WebAssembly
// SIMD (simd-loops.ts). Activations are [rows, c] with the channel fastest; c is the length of
// the per-channel arrays. act(p) = p for p > 0, alpha * p otherwise (alpha >= 0), so
// act'(p) = factor(y) = 1 where y > 0, else alpha. Per-channel sums arrive in doubles.
import type { AdamUpdateAttrs } from '../adam-update';

export interface ActivationLoops {
  /**
   * An array equal to `a` that the loops below read at no copy cost: `a` itself for JS, a
   * copy in the SIMD module's memory otherwise. Pass it only to these loops (the SIMD copy's
   * JS view may be detached when the module's memory grows), and only until release().
   */
  stage(a: Float32Array): Float32Array;
  /** Frees what stage() took; call once per kernel, after its last loop. */
  release(): void;
  /** s[k] += sum of x and q[k] += sum of x * x over the rows, per channel (c = s.length). */
  channelSums(x: Float32Array, c: number, s: Float64Array, q: Float64Array): void;
  /** With d = dy * factor(y): sd[k] += sum d, sdx[k] += sum d * x per channel (x null: sd only). */
  gradSums(dy: Float32Array, y: Float32Array, x: Float32Array | null, alpha: number, c: number, sd: Float64Array, sdx: Float64Array): void;
  /** y = act(x * scale[k] + shift[k]), c = scale.length. */
  affineAct(x: Float32Array, scale: Float32Array, shift: Float32Array, alpha: number, y: Float32Array): void;
  /** The BatchNorm backward's second pass: dx = ca[k] * dy * factor(y) + cb[k] - cc[k] * x. */
  bnGradDx(dy: Float32Array, y: Float32Array, x: Float32Array, ca: Float32Array, cb: Float32Array, cc: Float32Array, alpha: number, dx: Float32Array): void;
  /** y = act(x + bias[k]), c = bias.length. */
  biasActForward(x: Float32Array, bias: Float32Array, alpha: number, y: Float32Array): void;
  /** dx = dy * factor(y); dbias[k] = sum of dx per channel (c = dbias.length). */
  biasActBackward(dy: Float32Array, y: Float32Array, alpha: number, dx: Float32Array, dbias: Float32Array): void;
}

/** One Adam step: new value, first and second moments of a parameter tensor, element-wise. */
export type AdamLoop = (
  p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, a: AdamUpdateAttrs,
  pOut: Float32Array, mOut: Float32Array, vOut: Float32Array,
) => void;
