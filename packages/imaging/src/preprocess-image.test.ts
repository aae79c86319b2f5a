import { describe, expect, it } from 'vitest';
import { ImageError } from './image-error';
import { bytesToUnitRange, preprocessImage, standardiseIntensity, unitRangeToBytes } from './preprocess-image';
import { encodeRaw, solid, texture, threeBands } from './test-images';

const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
const column = (d: Float32Array, w: number, h: number, x: number) => Array.from({ length: h }, (_, y) => d[y * w + x]!);
const row = (d: Float32Array, w: number, y: number) => Array.from(d.subarray(y * w, (y + 1) * w));

describe('preprocessImage', () => {
  it('maps black to -1 and white to 1 as float32 HWC', async () => {
    const img = await preprocessImage(await threeBands(60, 20), { size: 12, channels: 1, mode: 'resize' });
    expect(img.data).toBeInstanceOf(Float32Array);
    expect(img.data.length).toBe(12 * 12);
    expect(Math.min(...img.data)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...img.data)).toBeLessThanOrEqual(1);
    expect(mean(column(img.data, 12, 12, 0))).toBeCloseTo(-1, 1);
    expect(mean(column(img.data, 12, 12, 11))).toBeCloseTo(1, 1);
  });

  it("'resize' squashes all three bands in, 'center-crop' keeps only the middle, 'pad' letterboxes", async () => {
    const bands = await threeBands(60, 20);
    const squash = await preprocessImage(bands, { size: 12, channels: 1, mode: 'resize' });
    expect(mean(column(squash.data, 12, 12, 6))).toBeCloseTo(128 / 127.5 - 1, 1);
    const crop = await preprocessImage(bands, { size: 12, channels: 1, mode: 'center-crop' });
    for (const x of [0, 6, 11]) expect(mean(column(crop.data, 12, 12, x))).toBeCloseTo(128 / 127.5 - 1, 1);
    const pad = await preprocessImage(bands, { size: 12, channels: 1, mode: 'pad' });
    // 60x20 scales to 12x4: four image rows in the middle, black bars above and below.
    expect(row(pad.data, 12, 0).every((v) => v === -1)).toBe(true);
    expect(row(pad.data, 12, 11).every((v) => v === -1)).toBe(true);
    expect(Math.max(...row(pad.data, 12, 6))).toBeGreaterThan(0.9);
  });

  it("'shortSide' brings the short side to that many pixels, up or down, keeping the aspect ratio", async () => {
    const wide = await preprocessImage(await threeBands(60, 20), { size: { shortSide: 8 }, channels: 1 });
    expect([wide.width, wide.height, wide.data.length]).toEqual([24, 8, 24 * 8]);
    // The bands stay side by side (no squashing or cropping): dark left, bright right.
    expect(mean(column(wide.data, 24, 8, 0))).toBeCloseTo(-1, 1);
    expect(mean(column(wide.data, 24, 8, 23))).toBeCloseTo(1, 1);
    const tall = await preprocessImage(await solid(33, 100, [90, 90, 90]), { size: { shortSide: 128 }, channels: 1 });
    expect([tall.width, tall.height]).toEqual([128, 388]); // 100 * 128 / 33 = 387.9
    await expect(preprocessImage(await solid(10, 10, [0, 0, 0]), { size: { shortSide: 0 }, channels: 1 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    await expect(preprocessImage(await solid(10, 10, [0, 0, 0]), { size: { shortSide: 2.5 }, channels: 1 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });

  it('produces RGB (3 channels, interleaved) or converts colour to grayscale', async () => {
    const red = await solid(20, 10, [255, 0, 0]);
    const rgb = await preprocessImage(red, { size: { width: 4, height: 2 }, channels: 3 });
    expect(rgb.data.length).toBe(4 * 2 * 3);
    expect(Array.from(rgb.data.subarray(0, 3))).toEqual([1, -1, -1]);
    const gray = async (rgb: [number, number, number]) => (await preprocessImage(await solid(8, 8, rgb), { size: 4, channels: 1 })).data;
    expect((await gray([255, 0, 0])).length).toBe(16);
    // Lightness order of the primaries (green > red > blue), all strictly between black and white.
    const [r, g, b] = [(await gray([255, 0, 0]))[0]!, (await gray([0, 255, 0]))[0]!, (await gray([0, 0, 255]))[0]!];
    expect(g).toBeGreaterThan(r);
    expect(r).toBeGreaterThan(b);
    expect(b).toBeGreaterThan(-1);
    expect(g).toBeLessThan(1);
  });

  it('rejects a truncated file and a bad size with typed errors', async () => {
    const jpeg = await texture(200, 200, 'jpeg');
    await expect(preprocessImage(jpeg.subarray(0, jpeg.length >> 1), { size: 64, channels: 1 })).rejects.toMatchObject({ code: 'BAD_IMAGE' });
    await expect(preprocessImage(jpeg, { size: 0, channels: 1 })).rejects.toBeInstanceOf(ImageError);
    await expect(preprocessImage(jpeg, { size: 2.5, channels: 1 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });

  it('converts between bytes and [-1, 1] without loss, clipping out-of-range floats', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(Array.from(unitRangeToBytes(bytesToUnitRange(bytes)))).toEqual(Array.from(bytes));
    expect(Array.from(unitRangeToBytes(Float32Array.of(-3, 5, 0)))).toEqual([0, 255, 128]);
  });

  it("'per-image' intensity makes a darker and a brighter shot of the same part alike, and is mean 0 within [-1, 1]", async () => {
    const shot = (gain: number, offset: number) => {
      const px = new Uint8Array(32 * 32);
      for (let i = 0; i < px.length; i++) px[i] = Math.round(offset + gain * ((i * 37) % 64));
      return encodeRaw(px, 32, 32, 1);
    };
    const dark = await preprocessImage(await shot(1, 20), { size: 16, channels: 1, intensity: 'per-image' });
    const bright = await preprocessImage(await shot(2, 100), { size: 16, channels: 1, intensity: 'per-image' });
    const rawDark = await preprocessImage(await shot(1, 20), { size: 16, channels: 1 });
    const rawBright = await preprocessImage(await shot(2, 100), { size: 16, channels: 1, intensity: 'raw' });
    const gap = (a: Float32Array, b: Float32Array) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
    expect(gap(dark.data, bright.data)).toBeLessThan(0.05); // 8-bit rounding only
    expect(gap(rawDark.data, rawBright.data)).toBeGreaterThan(0.5);
    expect(Math.abs(mean(dark.data))).toBeLessThan(1e-3);
    expect(Math.min(...dark.data)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...dark.data)).toBeLessThanOrEqual(1);
  });

  it('standardiseIntensity: 3 standard deviations fill [-1, 1], outliers clip, a flat image becomes 0', () => {
    expect(Array.from(standardiseIntensity(Float32Array.of(-0.5, 0.5)))).toEqual([-1 / 3, 1 / 3].map(Math.fround));
    const spike = standardiseIntensity(Float32Array.from({ length: 100 }, (_, i) => (i === 0 ? 1 : 0)));
    expect(spike[0]).toBe(1);
    expect(Array.from(standardiseIntensity(Float32Array.of(0.2, 0.2, 0.2)))).toEqual([0, 0, 0]);
  });
});
