import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { colourAt } from './colour-map';
import { decodeImage } from './decode-image';
import { floatImageToPng, heatMapPng, montagePng } from './encode-image';
import { preprocessImage, type FloatImage } from './preprocess-image';
import { threeBands } from './test-images';

const ramp = (w: number, h: number, channels: 1 | 3): FloatImage => ({
  width: w,
  height: h,
  channels,
  data: Float32Array.from({ length: w * h * channels }, (_, i) => (i % 256) / 127.5 - 1),
});

describe('floatImageToPng', () => {
  it('round-trips grayscale and RGB float images through PNG exactly (to 8 bits)', async () => {
    for (const channels of [1, 3] as const) {
      const img = ramp(16, 9, channels);
      const png = await floatImageToPng(img);
      expect((await sharp(png).metadata()).format).toBe('png');
      const back = await preprocessImage(png, { size: { width: 16, height: 9 }, channels });
      back.data.forEach((v, i) => expect(Math.abs(v - img.data[i]!)).toBeLessThan(1 / 127.5 + 1e-6));
    }
  });

  it('round-trips a preprocessed image back to the same pixels', async () => {
    const img = await preprocessImage(await threeBands(30, 30), { size: 30, channels: 1 });
    const again = await preprocessImage(await floatImageToPng(img), { size: 30, channels: 1 });
    expect(Array.from(again.data)).toEqual(Array.from(img.data));
  });

  it('rejects data that does not fit the stated shape', async () => {
    await expect(floatImageToPng({ width: 4, height: 4, channels: 1, data: new Float32Array(15) })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });
});

describe('heatMapPng', () => {
  it('colours zero with the start of the map and the maximum with its end', async () => {
    const map = new Float32Array(8 * 4);
    map[5] = 0.7;
    const png = await heatMapPng(map, { width: 8, height: 4 });
    const dec = await decodeImage(png);
    expect(dec).toMatchObject({ width: 8, height: 4, channels: 3 });
    expect(Array.from(dec.data.subarray(0, 3))).toEqual(colourAt('inferno', 0));
    expect(Array.from(dec.data.subarray(15, 18))).toEqual(colourAt('inferno', 1));
    expect(colourAt('inferno', 1)).toEqual([252, 255, 164]);
  });

  it('blends over the input image with alpha and honours a fixed range', async () => {
    const base: FloatImage = { width: 2, height: 1, channels: 1, data: Float32Array.of(1, 1) };
    const png = await heatMapPng(Float32Array.of(0, 10), { width: 2, height: 1, base, alpha: 0.5, range: [0, 20], colourMap: 'gray' });
    const dec = await decodeImage(png);
    // gray map at 0 -> black, at 10/20 -> 128; half over white (255).
    expect(Array.from(dec.data.subarray(0, 3))).toEqual([128, 128, 128]);
    expect(Math.abs(dec.data[3]! - Math.round(0.5 * 128 + 0.5 * 255))).toBeLessThanOrEqual(1);
    await expect(heatMapPng(new Float32Array(3), { width: 2, height: 2 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });
});

describe('montagePng', () => {
  it('lays tiles out in a grid with padding and keeps each tile where it belongs', async () => {
    const tiles = [-1, -0.5, 0, 0.5, 1].map((v) => ({ width: 8, height: 6, channels: 1 as const, data: new Float32Array(48).fill(v) }));
    const png = await montagePng(tiles, { columns: 3, padding: 2, background: 1 });
    const dec = await decodeImage(png, { channels: 1 });
    expect(dec.width).toBe(3 * 8 + 4 * 2);
    expect(dec.height).toBe(2 * 6 + 3 * 2);
    const at = (x: number, y: number) => dec.data[y * dec.width + x]!;
    expect(at(0, 0)).toBe(255); // padding
    expect(at(2, 2)).toBe(0); // tile 0 = -1
    expect(at(2 + 2 * 10, 2)).toBe(128); // tile 2 = 0
    expect(at(2 + 10, 2 + 8)).toBe(255); // tile 4 = 1
    expect(at(2 + 2 * 10, 2 + 8)).toBe(255); // empty sixth cell shows background
  });

  it('promotes to RGB when any tile is colour and rejects mixed sizes', async () => {
    const gray: FloatImage = { width: 2, height: 2, channels: 1, data: new Float32Array(4) };
    const red: FloatImage = { width: 2, height: 2, channels: 3, data: Float32Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? 1 : -1)) };
    const dec = await decodeImage(await montagePng([gray, red], { padding: 0 }));
    expect(dec.channels).toBe(3);
    expect(Array.from(dec.data.subarray(6, 9))).toEqual([255, 0, 0]);
    await expect(montagePng([gray, { ...gray, width: 1, data: new Float32Array(2) }])).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    await expect(montagePng([])).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });
});
