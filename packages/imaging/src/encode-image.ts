import sharp from 'sharp';
import { colourAt, type ColourMapName } from './colour-map';
import { ImageError } from './image-error';
import { unitRangeToBytes, type FloatImage } from './preprocess-image';

function checkShape(image: FloatImage, what: string): void {
  const { width, height, channels, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new ImageError('BAD_ARGUMENT', `${what}: width and height must be positive integers, got ${width}x${height}.`);
  }
  if (channels !== 1 && channels !== 3) {
    throw new ImageError('BAD_ARGUMENT', `${what}: channels must be 1 or 3, got ${channels}.`);
  }
  if (data.length !== width * height * channels) {
    throw new ImageError(
      'BAD_ARGUMENT',
      `${what}: ${data.length} values do not fit ${width}x${height}x${channels} (${width * height * channels}).`,
    );
  }
}

async function rawToPng(bytes: Uint8Array, width: number, height: number, channels: 1 | 3): Promise<Buffer> {
  return sharp(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), { raw: { width, height, channels } })
    .png()
    .toBuffer();
}

/** Encodes an HWC float image in [-1, 1] (grayscale or RGB) as a PNG; values outside are clipped. */
export async function floatImageToPng(image: FloatImage): Promise<Buffer> {
  checkShape(image, 'floatImageToPng');
  return rawToPng(unitRangeToBytes(image.data), image.width, image.height, image.channels);
}

export interface HeatMapOptions {
  width: number;
  height: number;
  colourMap?: ColourMapName;
  /** Values mapped to the ends of the colour map; default: 0 and the map's maximum. */
  range?: [number, number];
  /** When given, the heat map is blended over this image (same size). */
  base?: FloatImage;
  /** Weight of the heat map over the base image, 0..1 (default 0.5). */
  alpha?: number;
}

/** Renders a per-pixel map (e.g. |x - G(z)|, H*W values) as a colour PNG, optionally overlaid on the input. */
export async function heatMapPng(map: Float32Array, options: HeatMapOptions): Promise<Buffer> {
  const { width, height } = options;
  if (map.length !== width * height) {
    throw new ImageError('BAD_ARGUMENT', `heatMapPng: ${map.length} values do not fit ${width}x${height}.`);
  }
  let lo = 0;
  let hi = 0;
  if (options.range) [lo, hi] = options.range;
  else for (const v of map) if (Number.isFinite(v) && v > hi) hi = v;
  const span = hi > lo ? hi - lo : 1;
  const alpha = options.alpha ?? 0.5;
  const base = options.base;
  if (base) {
    checkShape(base, 'heatMapPng base');
    if (base.width !== width || base.height !== height) {
      throw new ImageError('BAD_ARGUMENT', `heatMapPng: base image is ${base.width}x${base.height}, map is ${width}x${height}.`);
    }
  }
  const out = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const rgb = colourAt(options.colourMap ?? 'inferno', ((map[p] as number) - lo) / span);
    for (let c = 0; c < 3; c++) {
      let v = rgb[c] as number;
      if (base) {
        const b = base.data[base.channels === 3 ? p * 3 + c : p] as number;
        v = alpha * v + (1 - alpha) * Math.min(255, Math.max(0, (b + 1) * 127.5));
      }
      out[p * 3 + c] = Math.round(v);
    }
  }
  return rawToPng(out, width, height, 3);
}

export interface MontageOptions {
  /** Images per row (default: ceil(sqrt(n))). */
  columns?: number;
  /** Pixels between tiles (default 2). */
  padding?: number;
  /** Gap colour in [-1, 1] (default 1, white). */
  background?: number;
}

/** Lays out same-sized float images in a grid and encodes it as one PNG (RGB if any tile is RGB). */
export async function montagePng(images: FloatImage[], options: MontageOptions = {}): Promise<Buffer> {
  const first = images[0];
  if (!first) throw new ImageError('BAD_ARGUMENT', 'montagePng: no images given.');
  images.forEach((img, i) => {
    checkShape(img, `montagePng image ${i}`);
    if (img.width !== first.width || img.height !== first.height) {
      throw new ImageError('BAD_ARGUMENT', `montagePng: image ${i} is ${img.width}x${img.height}, the first is ${first.width}x${first.height}.`);
    }
  });
  const channels: 1 | 3 = images.some((img) => img.channels === 3) ? 3 : 1;
  const columns = Math.max(1, options.columns ?? Math.ceil(Math.sqrt(images.length)));
  const rows = Math.ceil(images.length / columns);
  const pad = options.padding ?? 2;
  const W = columns * first.width + (columns + 1) * pad;
  const H = rows * first.height + (rows + 1) * pad;
  const grid = new Float32Array(W * H * channels).fill(options.background ?? 1);
  images.forEach((img, i) => {
    const x0 = pad + (i % columns) * (first.width + pad);
    const y0 = pad + Math.floor(i / columns) * (first.height + pad);
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        for (let c = 0; c < channels; c++) {
          const src = img.channels === 3 ? (y * img.width + x) * 3 + c : y * img.width + x;
          grid[((y0 + y) * W + x0 + x) * channels + c] = img.data[src] as number;
        }
      }
    }
  });
  return floatImageToPng({ width: W, height: H, channels, data: grid });
}
