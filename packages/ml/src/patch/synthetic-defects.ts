// Synthetic defects drawn on qualified crops: the training signal of the defect map
// (DRAEM's idea, Zavrtanik et al., ICCV 2021: learn what a defect looks like from made-up ones,
// so that no real defect is needed). Shapes are irregular noise blobs, scratches (polylines)
// and ellipses; fillings are another qualified crop's texture, a darker or brighter surface,
// smooth noise, or a flat patch. None of them copies a defect type of any one dataset: they are
// generic surface faults, so the map must learn "not like the qualified surface" rather than
// one dataset's look.
import type { Rng } from '../analysis/random';
import { gaussianBlur } from '../pipeline/residual-map';

/** Smooth random field of about `cells` x `cells` bumps over an h x w map (bicubic value noise). */
export function smoothNoise(rng: Rng, h: number, w: number, cells: number): Float32Array {
  const gw = cells + 3;
  const grid = new Float32Array(gw * gw);
  for (let i = 0; i < grid.length; i++) grid[i] = rng.normal();
  const out = new Float32Array(h * w);
  // Catmull-Rom interpolation of the grid; continuous slope, so no cell edges show.
  const cr = (p0: number, p1: number, p2: number, p3: number, t: number) =>
    p1 + 0.5 * t * (p2 - p0 + t * (2 * p0 - 5 * p1 + 4 * p2 - p3 + t * (3 * (p1 - p2) + p3 - p0)));
  const row = new Float32Array(4);
  for (let y = 0; y < h; y++) {
    const gy = (y / h) * cells + 1;
    const iy = Math.floor(gy);
    const ty = gy - iy;
    for (let x = 0; x < w; x++) {
      const gx = (x / w) * cells + 1;
      const ix = Math.floor(gx);
      const tx = gx - ix;
      for (let k = 0; k < 4; k++) {
        const r = (iy - 1 + k) * gw;
        row[k] = cr(grid[r + ix - 1]!, grid[r + ix]!, grid[r + ix + 1]!, grid[r + ix + 2]!, tx);
      }
      out[y * w + x] = cr(row[0]!, row[1]!, row[2]!, row[3]!, ty);
    }
  }
  return out;
}

function quantile(values: Float32Array, q: number): number {
  const s = Float32Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.floor(q * (s.length - 1))))]!;
}

/** Irregular blobs: fractal noise above a random quantile (1-15% of the area). */
export function noiseBlobMask(rng: Rng, h: number, w: number): Float32Array {
  const cellsChoice = [2, 4, 8];
  const a = smoothNoise(rng, h, w, cellsChoice[rng.int(3)]!);
  const b = smoothNoise(rng, h, w, 16);
  for (let i = 0; i < a.length; i++) a[i] = a[i]! + 0.5 * b[i]!;
  const thr = quantile(a, 1 - (0.01 + 0.14 * rng.next()));
  return a.map((v) => (v > thr ? 1 : 0));
}

/** A scratch: a polyline of 1-3 segments, 0.6-2.5 px half-width. */
export function scratchMask(rng: Rng, h: number, w: number): Float32Array {
  const m = new Float32Array(h * w);
  const segments = 1 + rng.int(3);
  const half = 0.6 + 1.9 * rng.next();
  let y = rng.next() * h;
  let x = rng.next() * w;
  let angle = rng.next() * 2 * Math.PI;
  for (let s = 0; s < segments; s++) {
    const len = (0.15 + 0.45 * rng.next()) * Math.max(h, w);
    angle += 0.5 * rng.normal();
    const y2 = y + len * Math.sin(angle);
    const x2 = x + len * Math.cos(angle);
    const dy = y2 - y;
    const dx = x2 - x;
    const d2 = dy * dy + dx * dx + 1e-6;
    for (let py = 0; py < h; py++) {
      for (let px = 0; px < w; px++) {
        const t = Math.max(0, Math.min(1, ((py - y) * dy + (px - x) * dx) / d2));
        if (Math.hypot(py - (y + t * dy), px - (x + t * dx)) < half) m[py * w + px] = 1;
      }
    }
    y = y2;
    x = x2;
  }
  return m;
}

/** A filled ellipse (pits, holes, inclusions) from 1.5 px up to 12% of the short side. */
export function ellipseMask(rng: Rng, h: number, w: number): Float32Array {
  const m = new Float32Array(h * w);
  const cy = rng.next() * h;
  const cx = rng.next() * w;
  const a = 1.5 + rng.next() * Math.max(0, 0.12 * Math.min(h, w) - 1.5);
  const b = a * (0.5 + rng.next());
  const t = rng.next() * Math.PI;
  const c = Math.cos(t);
  const s = Math.sin(t);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = ((y - cy) * c + (x - cx) * s) / a;
      const v = (-(y - cy) * s + (x - cx) * c) / b;
      if (u * u + v * v < 1) m[y * w + x] = 1;
    }
  }
  return m;
}

export interface SyntheticDefect {
  /** The crop with the defect drawn in (same layout as the input). */
  image: Float32Array;
  /** 1 where the defect is visible enough to be called one, else 0 (h x w). */
  mask: Float32Array;
}

/**
 * Draws one random defect on a single-channel... or multi-channel HWC crop `x` (h x w x c, values
 * in [-1, 1]), using `other` (another qualified crop of the same shape) as a texture source.
 */
export function drawSyntheticDefect(rng: Rng, x: Float32Array, other: Float32Array, h: number, w: number, c: number): SyntheticDefect {
  const kind = rng.int(5);
  let shape: Float32Array;
  if (kind === 0 || kind === 3) shape = noiseBlobMask(rng, h, w);
  else if (kind === 1) shape = scratchMask(rng, h, w);
  else if (kind === 2) shape = ellipseMask(rng, h, w);
  else if (rng.next() < 0.5) {
    const e = ellipseMask(rng, h, w);
    shape = scratchMask(rng, h, w).map((v, i) => Math.max(v, e[i]!));
  } else shape = noiseBlobMask(rng, h, w);
  const soft = gaussianBlur(shape, h, w, 0.3 + 0.9 * rng.next());
  const beta = 0.3 + 0.7 * rng.next();
  const fill = new Float32Array(x.length);
  const fillKind = rng.int(4);
  if (fillKind === 0) {
    // Another crop's texture, mirrored both ways, contrast and brightness changed.
    let mean = 0;
    for (const v of other) mean += v;
    mean /= other.length;
    const contrast = 0.5 + 1.5 * rng.next();
    const shift = -0.4 + 0.8 * rng.next();
    const n = h * w;
    for (let p = 0; p < n; p++) {
      const q = n - 1 - p;
      for (let k = 0; k < c; k++) fill[p * c + k] = (other[q * c + k]! - mean) * contrast + mean + shift;
    }
  } else if (fillKind === 1) {
    const delta = (rng.next() < 0.5 ? -1 : 1) * (0.15 + 0.65 * rng.next());
    for (let i = 0; i < x.length; i++) fill[i] = x[i]! + delta;
  } else if (fillKind === 2) {
    const noise = smoothNoise(rng, h, w, [4, 8, 16][rng.int(3)]!);
    const amp = 0.1 + 0.4 * rng.next();
    for (let i = 0; i < x.length; i++) fill[i] = x[i]! + amp * noise[Math.floor(i / c)]!;
  } else {
    let mean = 0;
    for (const v of x) mean += v;
    const flat = mean / x.length - 0.5 + rng.next();
    fill.fill(flat);
  }
  const image = new Float32Array(x.length);
  const mask = new Float32Array(h * w);
  for (let p = 0; p < h * w; p++) {
    const a = beta * soft[p]!;
    mask[p] = a > 0.15 ? 1 : 0;
    for (let k = 0; k < c; k++) {
      const i = p * c + k;
      image[i] = Math.max(-1, Math.min(1, x[i]! * (1 - a) + fill[i]! * a));
    }
  }
  return { image, mask };
}
