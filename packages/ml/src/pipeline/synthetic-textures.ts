// Synthetic inspection data for tests: wood-like grain or a solar-cell grid, with planted
// defects (stains, scratches, cracks, contamination) and their masks. Seeded, so every run sees
// the same set.
import { createRng, type Rng } from '../analysis';
import type { PipelineImage } from './measure-images';

export type TextureKind = 'wood' | 'solar';
export type PlantedDefect = 'stain' | 'scratch' | 'crack' | 'contamination';

export interface SyntheticImage {
  image: PipelineImage;
  defect: PlantedDefect | null;
  /** 1 where a defect was planted (H*W). */
  mask: Uint8Array;
}

function baseTexture(kind: TextureKind, size: number, rng: Rng): Float32Array {
  const px = new Float32Array(size * size);
  const phase = rng.next() * 2 * Math.PI;
  const freq = 0.1 + 0.05 * rng.next();
  const wobble = 1 + 2 * rng.next();
  const wobblePhase = rng.next() * 2 * Math.PI;
  const brightness = -0.1 + 0.2 * rng.next();
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let v: number;
      if (kind === 'wood') {
        // Grain: stripes whose position wobbles slowly along the board.
        const u = x + wobble * Math.sin((2 * Math.PI * y) / size + wobblePhase);
        v = brightness + 0.35 * Math.sin(2 * Math.PI * freq * u + phase);
      } else {
        // Cells: dark background with bright busbars every 8 px and fingers every 4 px.
        const bus = (y + Math.floor(phase)) % 8 === 0 ? 0.6 : 0;
        const finger = x % 4 === 0 ? 0.25 : 0;
        v = brightness - 0.4 + bus + finger;
      }
      px[y * size + x] = v + 0.04 * rng.normal();
    }
  }
  return px;
}

function paint(px: Float32Array, mask: Uint8Array, size: number, x: number, y: number, value: number, blend = 1): void {
  const xi = Math.round(x);
  const yi = Math.round(y);
  if (xi < 0 || yi < 0 || xi >= size || yi >= size) return;
  const k = yi * size + xi;
  px[k] = (1 - blend) * px[k]! + blend * value;
  mask[k] = 1;
}

function plant(px: Float32Array, size: number, defect: PlantedDefect, rng: Rng): Uint8Array {
  const mask = new Uint8Array(size * size);
  const cx = size * (0.2 + 0.6 * rng.next());
  const cy = size * (0.2 + 0.6 * rng.next());
  if (defect === 'contamination') {
    // Particles: a handful of small specks, dark or bright, scattered over a small patch, like
    // dust or debris on a surface (each speck alone is only a few pixels).
    const spread = size * 0.1;
    const specks = 4 + Math.floor(4 * rng.next());
    for (let s = 0; s < specks; s++) {
      const sx = cx + spread * (2 * rng.next() - 1);
      const sy = cy + spread * (2 * rng.next() - 1);
      const value = rng.next() < 0.5 ? -1 : 1;
      const r = 0.6 + 0.8 * rng.next();
      for (let y = Math.floor(sy - r); y <= Math.ceil(sy + r); y++) {
        for (let x = Math.floor(sx - r); x <= Math.ceil(sx + r); x++) {
          if ((x - sx) ** 2 + (y - sy) ** 2 <= r * r) paint(px, mask, size, x, y, value);
        }
      }
    }
  } else if (defect === 'stain') {
    const r = size * (0.08 + 0.06 * rng.next());
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const d2 = ((x - cx) ** 2 + (y - cy) ** 2) / (r * r);
        if (d2 < 1) paint(px, mask, size, x, y, -0.9, 0.85 * (1 - d2 * d2));
      }
    }
  } else {
    const angle = rng.next() * Math.PI;
    const length = size * (0.35 + 0.3 * rng.next());
    let x = cx - (Math.cos(angle) * length) / 2;
    let y = cy - (Math.sin(angle) * length) / 2;
    let a = angle;
    for (let s = 0; s < length; s += 0.5) {
      // A crack zig-zags and is dark; a scratch is straight and bright.
      if (defect === 'crack') a += 0.35 * rng.normal() * 0.5;
      x += 0.5 * Math.cos(a);
      y += 0.5 * Math.sin(a);
      paint(px, mask, size, x, y, defect === 'scratch' ? 1 : -1);
    }
  }
  return mask;
}

/** Every kind of defect the generator can plant. */
export const PLANTED_DEFECTS: readonly PlantedDefect[] = ['stain', 'scratch', 'crack', 'contamination'];

/**
 * `count` images of one texture, the share `defectRate` with a planted defect, cycling through
 * `defects` (by default stain, scratch, crack: the set the wood-grain test was built on).
 */
export function syntheticTextures(
  kind: TextureKind,
  count: number,
  o: { size?: number; defectRate?: number; seed?: number; defects?: readonly PlantedDefect[] } = {},
): SyntheticImage[] {
  const size = o.size ?? 32;
  const rng = createRng(o.seed ?? 0);
  const kinds = o.defects ?? PLANTED_DEFECTS.slice(0, 3);
  if (kinds.length === 0) throw new RangeError('syntheticTextures: defects must name at least one kind');
  const nDefect = Math.round(count * (o.defectRate ?? 0));
  return Array.from({ length: count }, (_, i) => {
    const px = baseTexture(kind, size, rng);
    const defect = i < nDefect ? kinds[i % kinds.length]! : null;
    const mask = defect ? plant(px, size, defect, rng) : new Uint8Array(size * size);
    for (let k = 0; k < px.length; k++) px[k] = Math.max(-1, Math.min(1, px[k]!));
    return { image: { width: size, height: size, channels: 1, data: px }, defect, mask };
  });
}
