import { describe, expect, it } from 'vitest';
import { createRng } from '../analysis/random';
import { isPipelineError } from '../pipeline/pipeline-error';
import { stepCrops } from './crop-sampler';
import { drawSyntheticDefect } from './synthetic-defects';
import { assembleTiles, extractTiles, tileCount, tileGrid, tileOrigins } from './tile-grid';

describe('tile grid', () => {
  it('covers every pixel with the last tile pushed back to the edge', () => {
    expect(tileOrigins(64, 64, 32)).toEqual([0]);
    expect(tileOrigins(100, 64, 32)).toEqual([0, 32, 36]);
    expect(tileOrigins(128, 64, 32)).toEqual([0, 32, 64]);
    const g = tileGrid(165, 135, 64, 32);
    expect(tileCount(g)).toBe(g.xs.length * g.ys.length);
    expect(Math.max(...g.xs) + 64).toBe(165);
    expect(Math.max(...g.ys) + 64).toBe(135);
  });

  it('refuses an image side smaller than the patch with BAD_INPUT', () => {
    expect(() => tileOrigins(40, 64, 32)).toThrow(/smaller than the 64-px patch/);
    try {
      tileOrigins(40, 64, 32);
    } catch (e) {
      expect(isPipelineError(e, 'BAD_INPUT')).toBe(true);
    }
  });

  it('blends extracted tiles back into exactly the image', () => {
    const w = 97;
    const h = 70;
    const data = Float32Array.from({ length: w * h * 3 }, (_, i) => Math.sin(i * 0.1));
    const g = tileGrid(w, h, 32, 16);
    const back = assembleTiles(extractTiles({ width: w, height: h, channels: 3, data }, g), g, 3);
    let worst = 0;
    for (let i = 0; i < data.length; i++) worst = Math.max(worst, Math.abs(back[i]! - data[i]!));
    expect(worst).toBeLessThan(1e-5);
  });
});

describe('training crops and synthetic defects', () => {
  const img = { width: 80, height: 50, channels: 1, data: Float32Array.from({ length: 4000 }, (_, i) => (i % 80) / 80) };

  it('draws the same crops for the same seed and step, other crops for another step', () => {
    const a = stepCrops([img], 4, { patch: 32, flips: true }, 7, 3);
    expect(stepCrops([img], 4, { patch: 32, flips: true }, 7, 3)).toEqual(a);
    expect(stepCrops([img], 4, { patch: 32, flips: true }, 7, 4)).not.toEqual(a);
    expect(a.length).toBe(4 * 32 * 32);
  });

  it('marks where the drawn defect changed the crop, and only there', () => {
    const rng = createRng(1);
    const x = stepCrops([img], 1, { patch: 32, flips: false }, 0, 0);
    const other = stepCrops([img], 1, { patch: 32, flips: false }, 0, 1);
    let marked = 0;
    for (let k = 0; k < 20; k++) {
      const d = drawSyntheticDefect(rng, x, other, 32, 32, 1);
      for (let i = 0; i < d.mask.length; i++) {
        if (d.mask[i] === 1) marked++;
        // Outside the mask the crop is (almost) untouched: the soft edge stays below the mask's cut.
        else expect(Math.abs(d.image[i]! - x[i]!)).toBeLessThan(0.3);
      }
      for (const v of d.image) expect(v >= -1 && v <= 1).toBe(true);
    }
    expect(marked).toBeGreaterThan(0);
  });
});
