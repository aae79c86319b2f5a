import sharp from 'sharp';
import { ImageError } from './image-error';

/** Limits an input image must respect; the defaults allow typical camera frames. */
export interface ImageLimits {
  maxWidth: number;
  maxHeight: number;
  maxPixels: number;
  maxBytes: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = {
  maxWidth: 16_384,
  maxHeight: 16_384,
  maxPixels: 50_000_000,
  maxBytes: 100 * 1024 * 1024,
};

/** Raw interleaved 8-bit pixels (HWC) of a decoded image. */
export interface DecodedImage {
  width: number;
  height: number;
  channels: 1 | 3;
  /** Detected container format, e.g. 'jpeg', 'png'. */
  format: string;
  data: Uint8Array;
}

/** What we learn from an image header without decoding the pixels. */
export interface ImageInfo {
  width: number;
  height: number;
  /** Width and height once the EXIF orientation is applied (what decoding produces). */
  orientedWidth: number;
  orientedHeight: number;
  channels: number;
  format: string;
}

function describe(source: string | undefined): string {
  return source ? ` (${source})` : '';
}

/** Reads and validates an image header; throws ImageError BAD_IMAGE / IMAGE_TOO_LARGE. */
export async function inspectImage(
  input: Uint8Array,
  limits: Partial<ImageLimits> = {},
  source?: string,
): Promise<ImageInfo> {
  const lim = { ...DEFAULT_IMAGE_LIMITS, ...limits };
  if (!(input instanceof Uint8Array) || input.length === 0) {
    throw new ImageError('BAD_IMAGE', `The image${describe(source)} is empty: send the bytes of a JPEG, PNG, WebP, TIFF or GIF file.`);
  }
  if (input.length > lim.maxBytes) {
    throw new ImageError(
      'IMAGE_TOO_LARGE',
      `The image${describe(source)} is ${input.length} bytes; the limit is ${lim.maxBytes}. Compress or downscale it before sending.`,
    );
  }
  let meta: sharp.Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (cause) {
    throw new ImageError(
      'BAD_IMAGE',
      `The data${describe(source)} is not a readable image (${(cause as Error).message}). Send a JPEG, PNG, WebP, TIFF or GIF file.`,
      { cause },
    );
  }
  const { width, height, format } = meta;
  if (!width || !height || !format) {
    throw new ImageError('BAD_IMAGE', `The image${describe(source)} has no dimensions; it is probably corrupt.`);
  }
  if (width > lim.maxWidth || height > lim.maxHeight || width * height > lim.maxPixels) {
    throw new ImageError(
      'IMAGE_TOO_LARGE',
      `The image${describe(source)} is ${width}x${height}; the limit is ${lim.maxWidth}x${lim.maxHeight} and ${lim.maxPixels} pixels. Downscale it before sending.`,
    );
  }
  // A one-band image (or a b-w colourspace file stored with extra bands) is grayscale.
  const channels = meta.space === 'b-w' ? Math.min(meta.channels ?? 1, 1) : (meta.channels ?? 0);
  // EXIF orientations 5-8 turn the image by 90 degrees: decoding swaps its sides.
  const turned = (meta.orientation ?? 1) >= 5;
  return { width, height, orientedWidth: turned ? height : width, orientedHeight: turned ? width : height, channels, format };
}

/**
 * Decodes any sharp-readable image to 8-bit grayscale or RGB pixels, failing with a typed
 * ImageError on corrupt, truncated, non-image or oversized input (never a partial image).
 */
export async function decodeImage(
  input: Uint8Array,
  options: { channels?: 1 | 3; limits?: Partial<ImageLimits>; source?: string } = {},
): Promise<DecodedImage> {
  const info = await inspectImage(input, options.limits, options.source);
  const channels = options.channels ?? (info.channels >= 3 ? 3 : 1);
  try {
    // failOn 'truncated' makes sharp reject cut-off files instead of padding them with grey.
    let pipeline = sharp(input, { failOn: 'truncated', limitInputPixels: false }).rotate();
    pipeline = channels === 1 ? pipeline.grayscale() : pipeline.toColourspace('srgb');
    const { data, info: out } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const got = out.channels;
    if (got !== channels) {
      throw new Error(`decoder produced ${got} channels, expected ${channels}`);
    }
    return { width: out.width, height: out.height, channels, format: info.format, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (cause) {
    throw new ImageError(
      'BAD_IMAGE',
      `The image${describe(options.source)} could not be decoded (${(cause as Error).message}); the file is corrupt or truncated. Re-export or re-capture it.`,
      { cause },
    );
  }
}
