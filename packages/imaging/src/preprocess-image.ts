import sharp from 'sharp';
import { inspectImage, type ImageLimits } from './decode-image';
import { ImageError } from './image-error';

/** How an image of another aspect ratio is brought to the product's size. */
export type ResizeMode = 'resize' | 'center-crop' | 'pad';

/**
 * How pixel values are scaled after decoding. 'raw' maps 0..255 linearly onto [-1, 1];
 * 'per-image' then standardises each image (all its pixels and channels together) to mean 0
 * and 1/3 of a standard deviation per unit, clipped to [-1, 1], so parts photographed brighter
 * or darker look alike to the model (see docs/adr/0010).
 */
export type IntensityMode = 'raw' | 'per-image';

/** A product's input format: what the network expects. */
export interface PreprocessOptions {
  /**
   * Output width and height; a number means a square image. `{ scale }` keeps the image's own
   * aspect ratio and multiplies both sides by the factor (patch models: no squashing); with
   * `minSide`, an image whose short side would fall below it is scaled up to it instead.
   * `{ shortSide }` keeps the aspect ratio and scales (up or down) so the short side has that
   * many pixels.
   */
  size: number | { width: number; height: number } | { scale: number; minSide?: number } | { shortSide: number };
  channels: 1 | 3;
  /** 'resize' squashes, 'center-crop' fills and crops the centre, 'pad' letterboxes with black. */
  mode?: ResizeMode;
  /** Default 'raw'. */
  intensity?: IntensityMode;
  limits?: Partial<ImageLimits>;
  /** Name of the input, used in error messages. */
  source?: string;
}

/** Pixels in [-1, 1] as float32, interleaved HWC (what tf.tensor4d([1, H, W, C]) wants). */
export interface FloatImage {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Float32Array;
}

const FIT: Record<ResizeMode, keyof sharp.FitEnum> = { resize: 'fill', 'center-crop': 'cover', pad: 'contain' };

/**
 * Both sides of an image of `width` x `height` multiplied by `scale`, rounded, at least 1 px;
 * when the short side would fall below `minSide`, the factor grows until it reaches it.
 */
export function scaleDimensions(width: number, height: number, scale: number, minSide = 1): { width: number; height: number } {
  if (!(scale > 0 && scale <= 1)) throw new ImageError('BAD_ARGUMENT', `Scale must be in (0, 1], got ${scale}.`);
  const f = Math.max(scale, minSide / Math.min(width, height));
  return { width: Math.max(minSide, Math.round(width * f)), height: Math.max(minSide, Math.round(height * f)) };
}

/** Width and height with the short side at `shortSide` pixels and the aspect ratio kept (the long side rounded). */
export function shortSideDimensions(width: number, height: number, shortSide: number): { width: number; height: number } {
  if (!Number.isInteger(shortSide) || shortSide < 1 || shortSide > 4096) {
    throw new ImageError('BAD_ARGUMENT', `The short side must be an integer between 1 and 4096, got ${shortSide}.`);
  }
  const f = shortSide / Math.min(width, height);
  return width <= height
    ? { width: shortSide, height: Math.max(shortSide, Math.round(height * f)) }
    : { width: Math.max(shortSide, Math.round(width * f)), height: shortSide };
}

/** Resolves a size option to width and height, rejecting non-positive or non-integer sizes. */
export function resolveSize(size: number | { width: number; height: number }): { width: number; height: number } {
  const dims = typeof size === 'number' ? { width: size, height: size } : size;
  for (const v of [dims.width, dims.height]) {
    if (!Number.isInteger(v) || v < 1 || v > 4096) {
      throw new ImageError('BAD_ARGUMENT', `Image size must be an integer between 1 and 4096, got ${v}.`);
    }
  }
  return dims;
}

/** Decodes, validates and brings an image to the product's size and channels as floats in [-1, 1]. */
export async function preprocessImage(input: Uint8Array, options: PreprocessOptions): Promise<FloatImage> {
  const info = await inspectImage(input, options.limits, options.source);
  const { width, height } = typeof options.size === 'object' && 'scale' in options.size
    ? scaleDimensions(info.orientedWidth, info.orientedHeight, options.size.scale, options.size.minSide)
    : typeof options.size === 'object' && 'shortSide' in options.size
      ? shortSideDimensions(info.orientedWidth, info.orientedHeight, options.size.shortSide)
      : resolveSize(options.size);
  const mode = options.mode ?? 'resize';
  let raw: Buffer;
  try {
    let pipeline = sharp(input, { failOn: 'truncated', limitInputPixels: false })
      .rotate()
      .resize(width, height, { fit: FIT[mode], position: 'centre', background: { r: 0, g: 0, b: 0, alpha: 1 } });
    // Colour to grayscale is libvips' b-w conversion (perceptual lightness), not Rec. 601 luma.
    pipeline = options.channels === 1 ? pipeline.grayscale() : pipeline.toColourspace('srgb');
    const out = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    if (out.info.channels !== options.channels || out.info.width !== width || out.info.height !== height) {
      throw new Error(`decoder produced ${out.info.width}x${out.info.height}x${out.info.channels}`);
    }
    raw = out.data;
  } catch (cause) {
    const where = options.source ? ` (${options.source})` : '';
    throw new ImageError(
      'BAD_IMAGE',
      `The image${where} could not be decoded (${(cause as Error).message}); the file is corrupt or truncated. Re-export or re-capture it.`,
      { cause },
    );
  }
  const data = bytesToUnitRange(raw);
  return { width, height, channels: options.channels, data: options.intensity === 'per-image' ? standardiseIntensity(data) : data };
}

/** Maps 8-bit values 0..255 linearly onto [-1, 1]. */
export function bytesToUnitRange(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = (bytes[i] as number) / 127.5 - 1;
  return out;
}

/** Spread of the standardised values: +-3 standard deviations fill [-1, 1]. */
const STD_PER_UNIT = 3;

/**
 * Per-image intensity standardisation: (x - mean) / (3 std), clipped to [-1, 1]. A flat image
 * (std 0) becomes all zeros rather than dividing by zero.
 */
export function standardiseIntensity(values: Float32Array): Float32Array {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length || 1;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const std = Math.sqrt(ss / (values.length || 1));
  const scale = std > 1e-6 ? 1 / (STD_PER_UNIT * std) : 0;
  return Float32Array.from(values, (v) => Math.max(-1, Math.min(1, (v - mean) * scale)));
}

/** Maps floats in [-1, 1] back to 8-bit values, clipping anything outside the range. */
export function unitRangeToBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(((values[i] as number) + 1) * 127.5);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return out;
}
