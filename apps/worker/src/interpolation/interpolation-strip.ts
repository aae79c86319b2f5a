// The picture a latent interpolation is stored as: one row of tiles, the real image at each end
// (what was inverted: a patch model's centre crop) and the generator's frames between them,
// each labelled, under a title that names the two images and how the path was drawn.
import { figurePng, floatImageToPng, titleBandHeight, type FigureImage, type FigureText, type FloatImage } from '@gansight/imaging';
import type { LatentInterpolation } from '@gansight/ml';
import sharp from 'sharp';

/** Tiles are drawn at least this large (nearest-neighbour), so a 16-px model's frames can be seen. */
const MIN_TILE = 64;
const GAP = 4;
/** Extra space between a real end and the frames. */
const END_GAP = 12;
const LABEL_BAND = 18;
const PAD = 8;

const asFloat = (img: LatentInterpolation['frames'][number]): FloatImage => ({ ...img, channels: img.channels as 1 | 3 });

async function tilePng(img: FloatImage, side: number): Promise<Buffer> {
  const png = await floatImageToPng(img);
  return side === img.width && side === img.height ? png : sharp(png).resize(side, side, { kernel: 'nearest', fit: 'fill' }).png().toBuffer();
}

/** Width text of `size` px needs, generously (DejaVu Sans averages about 0.6 em a character). */
const textWidth = (text: string, size: number) => Math.ceil(text.length * size * 0.62);

/** The strip as a PNG; `from` and `to` name the two images in the title. */
export async function interpolationStripPng(r: LatentInterpolation, o: { title: string; from: string; to: string }): Promise<Buffer> {
  const first = r.frames[0]!;
  const side = Math.max(MIN_TILE, first.width, first.height);
  const n = r.frames.length;
  const title = `${o.title}: ${o.from} → ${o.to}`;
  const ends = r.crops ? `centre ${r.crops[0].side}-px crops of the real images (working scale)` : 'the real images';
  const subtitle = `Ends: ${ends}. Between: ${n} frames G(z) on the ${r.path} path between their inverted latents.`;
  const band = titleBandHeight(subtitle);
  const tiles: Array<{ img: FloatImage; label: string; left: number }> = [];
  let left = PAD;
  tiles.push({ img: asFloat(r.ends[0]), label: 'A (real)', left });
  left += side + END_GAP;
  r.frames.forEach((f, i) => {
    tiles.push({ img: asFloat(f), label: `t=${Number((i / (n - 1)).toFixed(2))}`, left });
    left += side + GAP;
  });
  left += END_GAP - GAP;
  tiles.push({ img: asFloat(r.ends[1]), label: 'B (real)', left });
  const width = Math.max(left + side + PAD, 640, textWidth(title, 15) + 2 * PAD, textWidth(subtitle, 12) + 2 * PAD);
  const top = band + PAD;
  const images: FigureImage[] = await Promise.all(tiles.map(async (t) => ({ png: await tilePng(t.img, side), left: t.left, top })));
  const texts: FigureText[] = [
    { x: PAD, y: 19, text: title, size: 15, bold: true },
    { x: PAD, y: 38, text: subtitle, size: 12, colour: '#555' },
    ...tiles.map((t) => ({ x: t.left + side / 2, y: top + side + 13, text: t.label, size: 11, anchor: 'middle' as const, colour: '#333' })),
  ];
  return figurePng({ width, height: top + side + LABEL_BAND + PAD, images, texts });
}
