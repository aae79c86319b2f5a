// The fused kernels' loops on the SIMD module (kernels.wat): copy inputs into the module's
// memory, run, copy results out. The module's memory is an arena: each loop takes what it
// needs on top of the staged inputs and gives it back on return; release() empties it. The
// memory grows when a call needs more and is kept (it holds the largest call's working set).
// Arrays are addressed by byte offset, never through a view kept across a call that may grow
// the memory (growth detaches every view of the old buffer).
import type { AdamUpdateAttrs } from '../adam-update';
import type { ActivationLoops, AdamLoop } from './loop-contracts';
import { simdExports, type SimdExports } from './simd-module';

const PAGE = 65536;

/** Per-channel data repeats with period L = lcm(c, 4) floats, so 4-lane vectors line up. */
function patternLength(c: number): number {
  return c % 4 === 0 ? c : c % 2 === 0 ? 2 * c : 4 * c;
}

/**
 * Rows per tile of the per-channel sums: about TILE_FLOATS floats of each array, so a tile's
 * rows stay in L1 while the sums take its 4-lane groups in turn (see kernels.wat).
 */
const TILE_FLOATS = 2048;
function tileRows(L: number): number {
  return Math.max(2, Math.floor(TILE_FLOATS / L));
}

class SimdArena {
  private top = 0;
  /** Staged copies by their view: offset and length survive a detaching growth. */
  private readonly staged = new Map<Float32Array, { offset: number; length: number }>();

  constructor(readonly k: SimdExports) {}

  /** Byte offset of a fresh, 16-byte aligned block (contents undefined). */
  alloc(bytes: number): number {
    const offset = this.top;
    this.top += Math.ceil(bytes / 16) * 16;
    const have = this.k.memory.buffer.byteLength;
    if (this.top > have) this.k.memory.grow(Math.ceil((this.top - have) / PAGE));
    return offset;
  }

  mark(): number {
    return this.top;
  }

  /** Frees everything allocated since `mark` (stack order). */
  reset(mark: number): void {
    this.top = mark;
  }

  f32(offset: number, length: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, offset, length);
  }

  f64(offset: number, length: number): Float64Array {
    return new Float64Array(this.k.memory.buffer, offset, length);
  }

  /** Length of `a`, also of a staged view detached by a growth (which reads as length 0). */
  len(a: Float32Array): number {
    return this.staged.get(a)?.length ?? a.length;
  }

  /** Offset of `a` in module memory: where stage() put it, or a fresh copy. */
  input(a: Float32Array): number {
    const s = this.staged.get(a);
    if (s) return s.offset;
    const offset = this.alloc(a.length * 4);
    this.f32(offset, a.length).set(a);
    return offset;
  }

  /** Offset of `values` repeated to period L (for c = values.length channels). */
  pattern(values: ArrayLike<number>, L: number): number {
    const offset = this.alloc(L * 4);
    const p = this.f32(offset, L);
    const c = values.length;
    for (let j = 0; j < L; j++) p[j] = values[j % c]!;
    return offset;
  }

  /** Offset of L zeroed doubles. */
  zeros64(L: number): number {
    const offset = this.alloc(L * 8);
    this.f64(offset, L).fill(0);
    return offset;
  }

  /** Adds the L pattern sums at `offset` into per-channel `out` (c = out.length). */
  foldInto(offset: number, L: number, out: Float64Array | Float32Array, add: boolean): void {
    const acc = this.f64(offset, L);
    const c = out.length;
    for (let k = 0; k < c; k++) {
      let t = add ? out[k]! : 0;
      for (let j = k; j < L; j += c) t += acc[j]!;
      out[k] = t;
    }
  }

  stage(a: Float32Array): Float32Array {
    const offset = this.alloc(a.length * 4);
    const view = this.f32(offset, a.length);
    view.set(a);
    this.staged.set(view, { offset, length: a.length });
    return view;
  }

  release(): void {
    this.staged.clear();
    this.top = 0;
  }
}

function activationLoops(arena: SimdArena): ActivationLoops {
  const k = arena.k;
  // Every loop frees its scratch on return, also on a throw, so staged inputs stay valid.
  const scoped = <T>(f: () => T): T => {
    const mark = arena.mark();
    try {
      return f();
    } finally {
      arena.reset(mark);
    }
  };
  return {
    stage: (a) => arena.stage(a),
    release: () => arena.release(),
    channelSums: (x, c, s, q) => scoped(() => {
      const L = patternLength(c);
      const xo = arena.input(x);
      const so = arena.zeros64(L);
      const qo = arena.zeros64(L);
      k.sums(xo, arena.len(x), L, tileRows(L), so, qo);
      arena.foldInto(so, L, s, true);
      arena.foldInto(qo, L, q, true);
    }),
    gradSums: (dy, y, x, alpha, c, sd, sdx) => scoped(() => {
      const L = patternLength(c);
      const n = arena.len(dy);
      const dyo = arena.input(dy);
      const yo = arena.input(y);
      const xo = x ? arena.input(x) : dyo;
      const so = arena.zeros64(L);
      const qo = arena.zeros64(L);
      k.grad_sums(dyo, yo, xo, n, L, tileRows(L), alpha, so, qo);
      arena.foldInto(so, L, sd, true);
      if (x) arena.foldInto(qo, L, sdx, true);
    }),
    affineAct: (x, scale, shift, alpha, y) => scoped(() => {
      const L = patternLength(scale.length);
      const n = arena.len(x);
      const xo = arena.input(x);
      const sc = arena.pattern(scale, L);
      const sh = arena.pattern(shift, L);
      const yo = arena.alloc(n * 4);
      k.affine_act(xo, n, L, sc, sh, alpha, yo);
      y.set(arena.f32(yo, n));
    }),
    bnGradDx: (dy, y, x, ca, cb, cc, alpha, dx) => scoped(() => {
      const L = patternLength(ca.length);
      const n = arena.len(dy);
      const dyo = arena.input(dy);
      const yo = arena.input(y);
      const xo = arena.input(x);
      const a = arena.pattern(ca, L);
      const b = arena.pattern(cb, L);
      const cco = arena.pattern(cc, L);
      const out = arena.alloc(n * 4);
      k.bn_grad_dx(dyo, yo, xo, n, L, a, b, cco, alpha, out);
      dx.set(arena.f32(out, n));
    }),
    biasActForward: (x, bias, alpha, y) => scoped(() => {
      const L = patternLength(bias.length);
      const n = arena.len(x);
      const xo = arena.input(x);
      const sc = arena.pattern([1], L);
      const sh = arena.pattern(bias, L);
      const yo = arena.alloc(n * 4);
      k.affine_act(xo, n, L, sc, sh, alpha, yo);
      y.set(arena.f32(yo, n));
    }),
    biasActBackward: (dy, y, alpha, dx, dbias) => scoped(() => {
      const L = patternLength(dbias.length);
      const n = arena.len(dy);
      const dyo = arena.input(dy);
      const yo = arena.input(y);
      const out = arena.alloc(n * 4);
      const so = arena.zeros64(L);
      k.bias_grad(dyo, yo, n, L, tileRows(L), alpha, out, so);
      dx.set(arena.f32(out, n));
      arena.foldInto(so, L, dbias, false);
    }),
  };
}

function adamLoop(arena: SimdArena): AdamLoop {
  return (p, g, m, v, a: AdamUpdateAttrs, pOut, mOut, vOut) => {
    const mark = arena.mark();
    try {
      const n = arena.len(p);
      const po = arena.input(p);
      const go = arena.input(g);
      const mo = arena.input(m);
      const vo = arena.input(v);
      // In place: p, m and v's copies become the new values.
      arena.k.adam(po, go, mo, vo, n, a.stepSize, a.beta1, 1 - a.beta1, a.beta2, 1 - a.beta2, a.epsilon);
      pOut.set(arena.f32(po, n));
      mOut.set(arena.f32(mo, n));
      vOut.set(arena.f32(vo, n));
    } finally {
      arena.reset(mark);
    }
  };
}

const arena = simdExports ? new SimdArena(simdExports) : null;

/** The SIMD activation loops, or null where WebAssembly SIMD is unavailable (see simd-module.ts). */
export const simdActivationLoops: ActivationLoops | null = arena ? activationLoops(arena) : null;

/** The SIMD Adam loop, or null where WebAssembly SIMD is unavailable. */
export const simdAdamLoop: AdamLoop | null = arena ? adamLoop(arena) : null;
