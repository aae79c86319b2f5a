// Where the tiles of an image lie: a patch model sees an image of any size as overlapping
// square tiles, the last row and column pushed back to the edge so every pixel is covered
// and no tile reaches outside the image.
import { PipelineError } from '../pipeline/pipeline-error';
import type { PipelineImage } from '../pipeline/measure-images';

export interface TileGrid {
  width: number;
  height: number;
  patch: number;
  /** Left edges of the tile columns and top edges of the tile rows. */
  xs: number[];
  ys: number[];
}

/** Tile origins along one side: 0, stride, 2 stride, ... and length - patch as the last. */
export function tileOrigins(length: number, patch: number, stride: number): number[] {
  if (!(Number.isInteger(patch) && patch > 0 && Number.isInteger(stride) && stride > 0)) {
    throw new RangeError(`patch and stride must be positive integers, got ${patch} and ${stride}`);
  }
  if (length < patch) throw new PipelineError('BAD_INPUT', `a side of ${length} px is smaller than the ${patch}-px patch.`);
  const out: number[] = [];
  for (let o = 0; o + patch < length; o += stride) out.push(o);
  out.push(length - patch);
  return out;
}

/** The tiles covering a width x height image. */
export function tileGrid(width: number, height: number, patch: number, stride: number): TileGrid {
  return { width, height, patch, xs: tileOrigins(width, patch, stride), ys: tileOrigins(height, patch, stride) };
}

export function tileCount(g: TileGrid): number {
  return g.xs.length * g.ys.length;
}

/** The tiles of an HWC image as one [T, patch, patch, C] array, row by row. */
export function extractTiles(img: PipelineImage, g: TileGrid): Float32Array {
  const { patch } = g;
  const c = img.channels;
  const out = new Float32Array(tileCount(g) * patch * patch * c);
  let t = 0;
  for (const y0 of g.ys) {
    for (const x0 of g.xs) {
      const base = t * patch * patch * c;
      for (let y = 0; y < patch; y++) {
        const src = ((y0 + y) * img.width + x0) * c;
        out.set(img.data.subarray(src, src + patch * c), base + y * patch * c);
      }
      t++;
    }
  }
  return out;
}

// Tiles are blended with a tent window: a pixel near a tile's centre counts more than one at
// its border, where the generator sees the least context, so seams between tiles do not show.
function tentWeights(patch: number): Float32Array {
  const w = new Float32Array(patch);
  for (let i = 0; i < patch; i++) w[i] = Math.min(i + 1, patch - i) / (patch / 2);
  return w;
}

/**
 * Blends per-tile values [T, patch, patch, C] (in extractTiles' order) back into one HWC image
 * of the grid's size, each pixel a weighted mean of the tiles covering it.
 */
export function assembleTiles(tiles: Float32Array, g: TileGrid, channels: number): Float32Array {
  const { patch, width, height } = g;
  const sum = new Float32Array(width * height * channels);
  const weight = new Float32Array(width * height);
  const w1 = tentWeights(patch);
  let t = 0;
  for (const y0 of g.ys) {
    for (const x0 of g.xs) {
      const base = t * patch * patch * channels;
      for (let y = 0; y < patch; y++) {
        for (let x = 0; x < patch; x++) {
          const wt = w1[y]! * w1[x]!;
          const p = (y0 + y) * width + x0 + x;
          weight[p]! += wt;
          for (let k = 0; k < channels; k++) sum[p * channels + k]! += wt * tiles[base + (y * patch + x) * channels + k]!;
        }
      }
      t++;
    }
  }
  for (let p = 0; p < width * height; p++) for (let k = 0; k < channels; k++) sum[p * channels + k]! /= weight[p]!;
  return sum;
}
