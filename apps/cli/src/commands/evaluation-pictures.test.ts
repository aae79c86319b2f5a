// The evaluate pictures' layout: sizes, where the heat maps, colour bars and legend swatches sit
// and their colours. Text is not pixel-matched (fonts differ between machines). Set
// GANSIGHT_KEEP_PICTURES=DIR to keep the PNGs for a look.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { colourAt, COLOUR_BAR_HEIGHT, COLOUR_BAR_STRIP, titleBandHeight, type FloatImage } from '@gansight/imaging';
import { renderScatter } from '@gansight/ml';
import {
  interpolationFigure, RECONSTRUCTION_LAYOUT, reconstructionFigure, reconstructionFigureSize, TSNE_COLOURS, TSNE_LAYOUT, tsneFigure, type ReconstructionRow,
} from './evaluation-pictures';

async function keep(name: string, png: Buffer): Promise<void> {
  const dir = process.env.GANSIGHT_KEEP_PICTURES;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, name), png);
}

async function pixels(png: Buffer) {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
  return { info, at };
}

const near = (a: number[], b: readonly number[], tol = 6) => a.every((v, i) => Math.abs(v - (b[i] as number)) <= tol);

/** A gray image of any size with a brighter square; its residual is 1 on the square, 0 elsewhere. */
function row(width: number, height: number, group: string, map: boolean): ReconstructionRow {
  const inSquare = (p: number) => Math.abs((p % width) - width / 2) < 6 && Math.abs(Math.floor(p / width) - height / 2) < 6;
  const data = Float32Array.from({ length: width * height }, (_, p) => (inSquare(p) ? 0.8 : -0.2));
  const residual = Float32Array.from({ length: width * height }, (_, p) => (inSquare(p) ? 1 : 0));
  return {
    image: { width, height, channels: 1, data }, reconstruction: new Float32Array(width * height).fill(-0.2), residual,
    map: map ? residual : null, group, name: `${group}/exp1_num_${width}x${height}.jpg`, normalisedScore: group === 'good' ? 0.31 : 0.87, anomalous: group !== 'good',
  };
}

describe('evaluate pictures', () => {
  it('reconstructions: label column, four titled columns, heat maps over each image at its aspect, colour bars with their range', async () => {
    const box = 160;
    const rows = [row(120, 160, 'good', true), row(300, 100, 'crack', true)];
    const png = await reconstructionFigure(rows, { box, mapTitle: 'defect map', mapScale: 'defect probability', residualRange: [0, 1], mapRange: [0, 1] });
    await keep('reconstructions.png', png);
    const { info, at } = await pixels(png);
    expect({ width: info.width, height: info.height }).toEqual(reconstructionFigureSize(2, 4, box));
    const { labelWidth, header, pad } = RECONSTRUCTION_LAYOUT;
    const cell = (c: number, r: number) => ({ x: labelWidth + pad + c * (box + pad), y: header + pad + r * (box + pad) });
    // The residual column's cell centre is the square: the top of the colour map (alpha 0.6 over the bright pixel).
    for (const r of [0, 1]) {
      const { x, y } = cell(2, r);
      const centre = at(x + box / 2, y + box / 2);
      const hot = colourAt('inferno', 1).map((v) => 0.6 * v + 0.4 * 0.9 * 255);
      expect(near(centre, hot, 10), `row ${r} centre ${centre}`).toBe(true);
    }
    // The wide image (300 x 100) is letterboxed, not squashed: white above and below it in its cell.
    const wide = cell(0, 1);
    expect(at(wide.x + box / 2, wide.y + 5)).toEqual([255, 255, 255]);
    expect(at(wide.x + box / 2, wide.y + box / 2 - 20)).not.toEqual([255, 255, 255]);
    // Colour bars under the residual and defect-map columns: low end dark, high end inferno's top.
    const barY = header + pad + 2 * (box + pad) + 16 + COLOUR_BAR_STRIP / 2;
    for (const c of [2, 3]) {
      expect(near(at(cell(c, 0).x + 1, barY), colourAt('inferno', 0))).toBe(true);
      expect(near(at(cell(c, 0).x + box - 2, barY), colourAt('inferno', 1))).toBe(true);
    }
    // Under the input column there is no bar.
    expect(at(cell(0, 0).x + box / 2, barY)).toEqual([255, 255, 255]);
    expect(info.height - (header + pad + 2 * (box + pad))).toBe(COLOUR_BAR_HEIGHT + pad);
  });

  it('reconstructions without a map have three columns', async () => {
    const png = await reconstructionFigure([row(64, 64, 'good', false)], { box: 128, mapTitle: null, residualRange: [0, 2], mapRange: null });
    const meta = await sharp(png).metadata();
    expect({ width: meta.width, height: meta.height }).toEqual(reconstructionFigureSize(1, 3, 128));
  });

  it('t-SNE: the plot under a title band, a legend with both series colours beside it', async () => {
    const plot = renderScatter([
      { points: [[0, 0], [1, 1], [0.5, 0.2]], colour: [...TSNE_COLOURS.real] },
      { points: [[2, 2], [1.5, 0.4]], colour: [...TSNE_COLOURS.generated] },
    ], TSNE_LAYOUT.plot);
    const png = await tsneFigure(plot, { realCount: 3, generatedCount: 2, realLabel: 'real (training images)', frechet: 12.345 });
    await keep('tsne.png', png);
    const { info, at } = await pixels(png);
    const { header, legendWidth, pad } = TSNE_LAYOUT;
    expect([info.width, info.height]).toEqual([pad + 400 + pad + legendWidth, header + 400 + pad]);
    const legendLeft = pad + 400 + pad;
    expect(at(legendLeft + 7, header + 24 + 7)).toEqual([...TSNE_COLOURS.real]);
    expect(at(legendLeft + 7, header + 48 + 7)).toEqual([...TSNE_COLOURS.generated]);
    // The plot's frame is where the layout says.
    expect(at(pad + 200, header)).toEqual([200, 200, 200]);
  });

  it('interpolation strips get a title band above the montage', async () => {
    const images: FloatImage[] = Array.from({ length: 64 }, (_, k) => ({ width: 32, height: 32, channels: 1, data: new Float32Array(32 * 32).fill(k / 32 - 1) }));
    const png = await interpolationFigure(images, { from: 'good/0.png', to: 'crack/3.png' });
    await keep('interpolation.png', png);
    const { info, at } = await pixels(png);
    const montage = { width: 16 * 32 + 17, height: 4 * 32 + 5 };
    expect([info.width, info.height]).toEqual([Math.max(640, montage.width), titleBandHeight('x') + montage.height]);
    // The first tile (black, k = 0) starts right under the band, centred horizontally.
    const left = Math.floor((info.width - montage.width) / 2);
    expect(at(left + 1 + 16, titleBandHeight('x') + 1 + 16)).toEqual([0, 0, 0]);
  });
});
