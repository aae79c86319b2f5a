import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { colourAt } from './colour-map';
import { COLOUR_BAR_HEIGHT, COLOUR_BAR_STRIP, colourBar, escapeSvgText, figurePng, formatLabelNumber, titleBandHeight, titledPng } from './figure';

async function rgbAt(png: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return Array.from(data.subarray(i, i + 3));
}

describe('figures', () => {
  it('places images and rectangles on a white RGB canvas of the given size; text with markup characters does not break it', async () => {
    const red = await sharp({ create: { width: 10, height: 6, channels: 3, background: { r: 255, g: 0, b: 0 } } }).png().toBuffer();
    const png = await figurePng({
      width: 80, height: 40, images: [{ png: red, left: 30, top: 20 }], rects: [{ x: 2, y: 2, width: 5, height: 5, fill: [0, 128, 255] }],
      texts: [{ x: 40, y: 12, text: 'a < b & "c" > d', anchor: 'middle', bold: true }],
    });
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height, meta.channels, meta.format]).toEqual([80, 40, 3, 'png']);
    expect(await rgbAt(png, 35, 23)).toEqual([255, 0, 0]);
    expect(await rgbAt(png, 4, 4)).toEqual([0, 128, 255]);
    expect(await rgbAt(png, 79, 39)).toEqual([255, 255, 255]);
    expect(escapeSvgText('<&>"')).toBe('&lt;&amp;&gt;&quot;');
    await expect(figurePng({ width: 0, height: 10 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });

  it('a colour bar runs from the colour map\'s low end to its high end and labels its range', async () => {
    const bar = await colourBar({ left: 10, top: 5, width: 100, range: [0, 0.644], label: 'residual scale' });
    expect(bar.texts!.map((t) => t.text)).toEqual(['residual scale', '0', '0.322', '0.644']);
    const png = await figurePng({ width: 120, height: 5 + COLOUR_BAR_HEIGHT, ...bar });
    const y = 5 + 16 + COLOUR_BAR_STRIP / 2;
    expect(await rgbAt(png, 10, y)).toEqual(colourAt('inferno', 0));
    expect(await rgbAt(png, 109, y)).toEqual(colourAt('inferno', 1));
  });

  it('titledPng adds a band above (taller with a subtitle) and centres a narrow picture on a minimum width', async () => {
    const grey = await sharp({ create: { width: 20, height: 10, channels: 3, background: { r: 90, g: 90, b: 90 } } }).png().toBuffer();
    const plain = await titledPng(grey, { title: 'T' });
    expect([(await sharp(plain).metadata()).width, (await sharp(plain).metadata()).height]).toEqual([20, titleBandHeight() + 10]);
    const wide = await titledPng(grey, { title: 'T', subtitle: 's', minWidth: 100 });
    expect([(await sharp(wide).metadata()).width, (await sharp(wide).metadata()).height]).toEqual([100, titleBandHeight('s') + 10]);
    expect(await rgbAt(wide, 50, titleBandHeight('s') + 5)).toEqual([90, 90, 90]);
    expect(await rgbAt(wide, 5, titleBandHeight('s') + 5)).toEqual([255, 255, 255]);
  });

  it('formats label numbers to 3 significant digits', () => {
    expect([0, 1, 0.5, 0.64412, 35.281, 1234.5, 1e-5, 2e6].map(formatLabelNumber)).toEqual(['0', '1', '0.5', '0.644', '35.3', '1230', '1.00e-5', '2.00e+6']);
  });
});
