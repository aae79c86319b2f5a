import { describe, expect, it } from 'vitest';
import { decodeImage, inspectImage } from './decode-image';
import { ImageError, isImageError } from './image-error';
import { solid, texture, threeBands } from './test-images';

async function rejection(p: Promise<unknown>): Promise<ImageError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ImageError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('decodeImage', () => {
  it('decodes PNG and JPEG to 8-bit grayscale or RGB with the right size', async () => {
    const gray = await decodeImage(await threeBands(30, 10));
    expect(gray).toMatchObject({ width: 30, height: 10, channels: 1, format: 'png' });
    expect(gray.data[0]).toBe(0);
    expect(gray.data[29]).toBe(255);
    const rgb = await decodeImage(await solid(8, 6, [200, 10, 10], 'jpeg'));
    expect(rgb).toMatchObject({ width: 8, height: 6, channels: 3, format: 'jpeg' });
    expect(rgb.data.length).toBe(8 * 6 * 3);
    expect(Math.abs(rgb.data[0]! - 200)).toBeLessThan(6);
    const asGray = await decodeImage(await solid(4, 4, [255, 255, 255]), { channels: 1 });
    expect(asGray.channels).toBe(1);
    expect(Array.from(asGray.data)).toEqual(new Array(16).fill(255));
  });

  it('rejects empty, non-image, corrupt and truncated input with BAD_IMAGE and an actionable message', async () => {
    const jpeg = await texture(256, 256, 'jpeg');
    const png = await texture(64, 64, 'png');
    const corrupt = Buffer.from(jpeg);
    corrupt.fill(0x55, 20, 400);
    const cases: Array<[string, Uint8Array]> = [
      ['empty', new Uint8Array(0)],
      ['text', Buffer.from('this is not an image, it is a CSV file\n1,2,3\n')],
      ['corrupt header', corrupt],
      ['truncated jpeg', jpeg.subarray(0, Math.floor(jpeg.length / 2))],
      ['truncated png', png.subarray(0, Math.floor(png.length / 2))],
      ['only a png signature', png.subarray(0, 8)],
    ];
    for (const [name, bytes] of cases) {
      const err = await rejection(decodeImage(bytes, { source: name }));
      expect(err.code, name).toBe('BAD_IMAGE');
      expect(err.message, name).toMatch(/JPEG|corrupt|truncated|empty|Re-export/);
      expect(err.message, name).toContain(name);
      expect(isImageError(err, 'BAD_IMAGE')).toBe(true);
    }
  });

  it('enforces dimension, pixel and byte limits before decoding', async () => {
    const big = await threeBands(300, 200);
    expect((await rejection(inspectImage(big, { maxWidth: 299 }))).code).toBe('IMAGE_TOO_LARGE');
    expect((await rejection(inspectImage(big, { maxPixels: 50_000 }))).message).toMatch(/300x200.*Downscale/);
    expect((await rejection(decodeImage(big, { limits: { maxBytes: 10 } }))).code).toBe('IMAGE_TOO_LARGE');
    expect(await inspectImage(big)).toMatchObject({ width: 300, height: 200, format: 'png' });
  });
});
