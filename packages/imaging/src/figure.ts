// Pictures a person can read without the code beside them: PNGs placed on a white canvas with
// titles, labels, legend swatches and colour-scale bars. Text is SVG rendered by sharp (librsvg
// with the system's fonts); on a machine without fonts the words are missing, not the picture.
import sharp from 'sharp';
import { colourAt, type ColourMapName } from './colour-map';
import { ImageError } from './image-error';

export interface FigureText {
  x: number;
  /** Baseline of the text. */
  y: number;
  text: string;
  /** Font size in px (default 13). */
  size?: number;
  anchor?: 'start' | 'middle' | 'end';
  /** CSS colour (default #222). */
  colour?: string;
  bold?: boolean;
}

export interface FigureImage {
  png: Buffer;
  left: number;
  top: number;
}

export interface FigureRect {
  x: number;
  y: number;
  width: number;
  height: number;
  /** RGB 0..255. */
  fill: [number, number, number];
}

export interface FigureSpec {
  width: number;
  height: number;
  images?: FigureImage[];
  rects?: FigureRect[];
  texts?: FigureText[];
}

const FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif";

/** Text made safe inside SVG markup. */
export function escapeSvgText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A number short enough for a label: 3 significant digits, no exponent for everyday magnitudes. */
export function formatLabelNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}

/** Composes images, filled rectangles and text on a white canvas of the given size, as one RGB PNG. */
export async function figurePng(spec: FigureSpec): Promise<Buffer> {
  const { width, height } = spec;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new ImageError('BAD_ARGUMENT', `figurePng: width and height must be positive integers, got ${width}x${height}.`);
  }
  const rects = (spec.rects ?? []).map((r) => `<rect x="${r.x}" y="${r.y}" width="${r.width}" height="${r.height}" fill="rgb(${r.fill.join(',')})"/>`);
  const texts = (spec.texts ?? []).map((t) =>
    `<text x="${t.x}" y="${t.y}" font-family="${FONT}" font-size="${t.size ?? 13}" text-anchor="${t.anchor ?? 'start'}" fill="${t.colour ?? '#222'}"${t.bold ? ' font-weight="bold"' : ''}>${escapeSvgText(t.text)}</text>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${rects.join('')}${texts.join('')}</svg>`;
  return sharp({ create: { width, height, channels: 3, background: { r: 255, g: 255, b: 255 } } })
    .composite([...(spec.images ?? []).map((i) => ({ input: i.png, left: i.left, top: i.top })), { input: Buffer.from(svg), left: 0, top: 0 }])
    .removeAlpha()
    .png()
    .toBuffer();
}

/**
 * A horizontal colour-scale bar with its label above and its range below (low end, middle, high
 * end), occupying `width` x COLOUR_BAR_HEIGHT from (left, top): parts of a figurePng spec.
 */
export async function colourBar(o: { left: number; top: number; width: number; range: [number, number]; label: string; colourMap?: ColourMapName }): Promise<Pick<FigureSpec, 'images' | 'texts'>> {
  const barWidth = Math.max(2, Math.round(o.width));
  const pixels = new Uint8Array(barWidth * COLOUR_BAR_STRIP * 3);
  for (let x = 0; x < barWidth; x++) {
    const rgb = colourAt(o.colourMap ?? 'inferno', x / (barWidth - 1));
    for (let y = 0; y < COLOUR_BAR_STRIP; y++) pixels.set(rgb, (y * barWidth + x) * 3);
  }
  const png = await sharp(Buffer.from(pixels), { raw: { width: barWidth, height: COLOUR_BAR_STRIP, channels: 3 } }).png().toBuffer();
  const [lo, hi] = o.range;
  const y = o.top + 16 + COLOUR_BAR_STRIP + 13;
  return {
    images: [{ png, left: o.left, top: o.top + 16 }],
    texts: [
      { x: o.left, y: o.top + 12, text: o.label, size: 12 },
      { x: o.left, y, text: formatLabelNumber(lo), size: 11 },
      { x: o.left + barWidth / 2, y, text: formatLabelNumber((lo + hi) / 2), size: 11, anchor: 'middle' },
      { x: o.left + barWidth, y, text: formatLabelNumber(hi), size: 11, anchor: 'end' },
    ],
  };
}

/** Height of the colour strip inside a colour bar. */
export const COLOUR_BAR_STRIP = 12;
/** Height a colourBar takes: label, strip, range. */
export const COLOUR_BAR_HEIGHT = 16 + COLOUR_BAR_STRIP + 16;

/** Height of the band titledPng adds above a picture (title and, when given, a subtitle). */
export function titleBandHeight(subtitle?: string): number {
  return subtitle ? 46 : 28;
}

/** A PNG with a title (and an optional subtitle) above it, on a canvas at least minWidth wide. */
export async function titledPng(png: Buffer, o: { title: string; subtitle?: string; minWidth?: number }): Promise<Buffer> {
  const meta = await sharp(png).metadata();
  const band = titleBandHeight(o.subtitle);
  const width = Math.max(meta.width ?? 1, o.minWidth ?? 0);
  return figurePng({
    width,
    height: band + (meta.height ?? 1),
    images: [{ png, left: Math.floor((width - (meta.width ?? 1)) / 2), top: band }],
    texts: [
      { x: 6, y: 19, text: o.title, size: 15, bold: true },
      ...(o.subtitle ? [{ x: 6, y: 38, text: o.subtitle, size: 12, colour: '#555' }] : []),
    ],
  });
}
