// Images generated with sharp for the tests: no binary fixtures in the repository.
import sharp from 'sharp';

/** Encodes raw 8-bit HWC pixels as PNG or JPEG. */
export async function encodeRaw(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 3,
  format: 'png' | 'jpeg' = 'png',
): Promise<Buffer> {
  let img = sharp(Buffer.from(pixels), { raw: { width, height, channels } });
  // Without this sharp writes a one-channel input as an RGB file.
  if (channels === 1) img = img.toColourspace('b-w');
  return format === 'png' ? img.png().toBuffer() : img.jpeg({ quality: 95 }).toBuffer();
}

/** A grayscale image of three vertical bands: black | mid-grey (128) | white. */
export async function threeBands(width: number, height: number, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const px = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) px[y * width + x] = x < width / 3 ? 0 : x < (2 * width) / 3 ? 128 : 255;
  return encodeRaw(px, width, height, 1, format);
}

/** A solid RGB image. */
export async function solid(width: number, height: number, rgb: [number, number, number], format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const px = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) px.set(rgb, i * 3);
  return encodeRaw(px, width, height, 3, format);
}

/** A noisy grayscale texture (deterministic), large enough that truncating its JPEG loses scan data. */
export async function texture(width: number, height: number, format: 'png' | 'jpeg' = 'jpeg'): Promise<Buffer> {
  const px = new Uint8Array(width * height);
  for (let i = 0; i < px.length; i++) px[i] = (i * 2654435761) % 251;
  return encodeRaw(px, width, height, 1, format);
}
