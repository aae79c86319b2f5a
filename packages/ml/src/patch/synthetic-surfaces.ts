// Large synthetic surfaces with small defects, for tests of patch models: brushed metal
// (fine streaks along one axis, slow shading, grain) with thin scratches and small pits a few
// pixels wide, the kind that squashing a 512-px image to 64 px makes vanish. Seeded.
import { createRng, type Rng } from '../analysis/random';
import type { PipelineImage } from '../pipeline/measure-images';

export type SurfaceDefect = 'scratch' | 'pit';

export interface SyntheticSurface {
  image: PipelineImage;
  defect: SurfaceDefect | null;
  /** 1 where the defect was drawn (H*W). */
  mask: Uint8Array;
}

function surface(side: number, rng: Rng): Float32Array {
  const px = new Float32Array(side * side);
  const streaks = new Float32Array(side);
  for (let x = 0; x < side; x++) streaks[x] = 0.08 * rng.normal();
  // Streaks smoothed over a few columns, as brushing leaves them.
  const smooth = streaks.map((_, x) => (streaks[Math.max(0, x - 1)]! + streaks[x]! + streaks[Math.min(side - 1, x + 1)]!) / 3);
  const shade = 0.15 * (rng.next() - 0.5);
  const tilt = 0.2 * (rng.next() - 0.5);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      px[y * side + x] = -0.1 + shade + tilt * (y / side - 0.5) + smooth[x]! + 0.03 * rng.normal();
    }
  }
  return px;
}

function drawScratch(px: Float32Array, mask: Uint8Array, side: number, width: number, rng: Rng): void {
  const len = side * (0.1 + 0.15 * rng.next());
  const angle = rng.next() * Math.PI;
  const cx = side * (0.15 + 0.7 * rng.next());
  const cy = side * (0.15 + 0.7 * rng.next());
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  const delta = (rng.next() < 0.5 ? -1 : 1) * (0.35 + 0.2 * rng.next());
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const u = (x - cx) * dx + (y - cy) * dy;
      const v = -(x - cx) * dy + (y - cy) * dx;
      if (Math.abs(u) <= len / 2 && Math.abs(v) <= width / 2) {
        px[y * side + x] = px[y * side + x]! + delta;
        mask[y * side + x] = 1;
      }
    }
  }
}

function drawPit(px: Float32Array, mask: Uint8Array, side: number, radius: number, rng: Rng): void {
  const cx = side * (0.1 + 0.8 * rng.next());
  const cy = side * (0.1 + 0.8 * rng.next());
  for (let y = Math.floor(cy - radius); y <= Math.ceil(cy + radius); y++) {
    for (let x = Math.floor(cx - radius); x <= Math.ceil(cx + radius); x++) {
      if (x < 0 || y < 0 || x >= side || y >= side || Math.hypot(x - cx, y - cy) > radius) continue;
      px[y * side + x] = px[y * side + x]! - 0.5;
      mask[y * side + x] = 1;
    }
  }
}

/**
 * `count` single-channel surfaces of side x side px (values in [-1, 1]); a `defectShare` of
 * them carries one scratch (`scratchWidth` px wide) or one pit (radius scratchWidth px).
 */
export function syntheticSurfaces(count: number, o: { side: number; defectShare: number; scratchWidth: number; seed: number }): SyntheticSurface[] {
  const rng = createRng(o.seed);
  return Array.from({ length: count }, (_, i) => {
    const data = surface(o.side, rng);
    const mask = new Uint8Array(o.side * o.side);
    let defect: SurfaceDefect | null = null;
    if (i < Math.round(count * o.defectShare)) {
      defect = i % 2 === 0 ? 'scratch' : 'pit';
      if (defect === 'scratch') drawScratch(data, mask, o.side, o.scratchWidth, rng);
      else drawPit(data, mask, o.side, o.scratchWidth, rng);
    }
    for (let k = 0; k < data.length; k++) data[k] = Math.max(-1, Math.min(1, data[k]!));
    return { image: { width: o.side, height: o.side, channels: 1, data }, defect, mask };
  });
}

/** Averages factor x factor blocks (what a resize by 1/factor does); masks keep a pixel where any source pixel was set. */
export function downsample(s: SyntheticSurface, factor: number): SyntheticSurface {
  const { width, height, data } = s.image;
  const w = Math.floor(width / factor);
  const h = Math.floor(height / factor);
  const out = new Float32Array(w * h);
  const mask = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      let any = 0;
      for (let j = 0; j < factor; j++) {
        for (let i = 0; i < factor; i++) {
          const k = (y * factor + j) * width + x * factor + i;
          sum += data[k]!;
          any |= s.mask[k]!;
        }
      }
      out[y * w + x] = sum / (factor * factor);
      mask[y * w + x] = any;
    }
  }
  return { image: { width: w, height: h, channels: 1, data: out }, defect: s.defect, mask };
}
