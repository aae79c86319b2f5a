// The pictures `gansight evaluate` writes, readable on their own (issue 12): titles, row labels,
// legends and colour-scale bars with their numeric range. Heat maps are drawn at each image's
// own resolution over the image; only the montage cell letterboxes them (aspect kept).
import sharp from 'sharp';
import { colourBar, COLOUR_BAR_HEIGHT, figurePng, floatImageToPng, heatMapPng, montagePng, titledPng, type FigureSpec, type FloatImage } from '@gansight/imaging';

/** One row of the reconstruction figure. */
export interface ReconstructionRow {
  image: FloatImage;
  /** G(z*) (or the blended tiles of a patch model), same size and channels as the image. */
  reconstruction: Float32Array;
  /** Residual heat map, H*W at the image's size. */
  residual: Float32Array;
  /** The defect map or local density map, H*W at the image's size; null when the model has neither. */
  map: Float32Array | null;
  /** Defect type, 'good' for qualified images. */
  group: string;
  name: string;
  normalisedScore: number;
  anomalous: boolean;
}

export interface ReconstructionFigureOptions {
  /** Side of the square cell each picture is fitted into (aspect kept, white margins). */
  box: number;
  /** Title of the fourth column ('defect map' for patch models, 'local density') and of its colour bar ('defect probability', 'Mahalanobis distance'). */
  mapTitle: string | null;
  mapScale?: string;
  residualRange: [number, number];
  mapRange: [number, number] | null;
}

/** Layout of the reconstruction figure, so tests can check sizes without reading text. */
export const RECONSTRUCTION_LAYOUT = { labelWidth: 190, header: 58, pad: 6 } as const;

/** Width and height of a reconstruction figure of `rows` rows and `columns` picture columns. */
export function reconstructionFigureSize(rows: number, columns: number, box: number): { width: number; height: number } {
  const { labelWidth, header, pad } = RECONSTRUCTION_LAYOUT;
  return { width: labelWidth + columns * (box + pad) + pad, height: header + rows * (box + pad) + pad + COLOUR_BAR_HEIGHT + pad };
}

/** A float image scaled (aspect kept) into a box x box square on white, as a PNG. */
async function fitInBox(png: Buffer, box: number): Promise<Buffer> {
  return sharp(png).resize(box, box, { fit: 'contain', background: { r: 255, g: 255, b: 255, alpha: 1 } }).removeAlpha().png().toBuffer();
}

const shorten = (s: string, n: number) => (s.length > n ? `…${s.slice(s.length - n + 1)}` : s);

/**
 * Rows of [input, reconstruction, residual over the input, defect map / local density over the
 * input], each row labelled with its group, file and score, column titles above and a colour
 * bar with its range under each heat-map column.
 */
export async function reconstructionFigure(rows: ReconstructionRow[], o: ReconstructionFigureOptions): Promise<Buffer> {
  const { labelWidth, header, pad } = RECONSTRUCTION_LAYOUT;
  const columns = o.mapTitle ? 4 : 3;
  const { width, height } = reconstructionFigureSize(rows.length, columns, o.box);
  const spec: Required<Pick<FigureSpec, 'images' | 'texts'>> = { images: [], texts: [] };
  const cellLeft = (c: number) => labelWidth + pad + c * (o.box + pad);
  const titles = ['input', 'reconstruction', 'residual', ...(o.mapTitle ? [o.mapTitle] : [])];
  spec.texts.push({ x: pad, y: 20, text: `Reconstructions: ${rows.length} test images; heat maps over each image at its own resolution`, size: 15, bold: true });
  titles.forEach((t, c) => spec.texts.push({ x: cellLeft(c) + o.box / 2, y: header - 8, text: t, anchor: 'middle', bold: true }));
  for (const [r, row] of rows.entries()) {
    const top = header + pad + r * (o.box + pad);
    const { image } = row;
    const overlay = (map: Float32Array, range: [number, number]) => heatMapPng(map, { width: image.width, height: image.height, base: image, range, alpha: 0.6 });
    const pictures = [
      await floatImageToPng(image),
      await floatImageToPng({ ...image, data: row.reconstruction }),
      await overlay(row.residual, o.residualRange),
      ...(o.mapTitle && row.map && o.mapRange ? [await overlay(row.map, o.mapRange)] : []),
    ];
    for (const [c, png] of pictures.entries()) spec.images.push({ png: await fitInBox(png, o.box), left: cellLeft(c), top });
    spec.texts.push(
      { x: pad, y: top + 18, text: row.group, size: 14, bold: true },
      { x: pad, y: top + 38, text: `score ${row.normalisedScore.toFixed(2)} (${row.anomalous ? 'flagged' : 'passed'})`, colour: row.anomalous ? '#b00' : '#262' },
      { x: pad, y: top + 56, text: shorten(row.name.split('/').pop() ?? row.name, 28), size: 11, colour: '#555' },
      { x: pad, y: top + 72, text: `${image.width} x ${image.height} px`, size: 11, colour: '#555' },
    );
  }
  const barTop = header + pad + rows.length * (o.box + pad);
  const bars = [
    await colourBar({ left: cellLeft(2), top: barTop, width: o.box, range: o.residualRange, label: 'residual scale' }),
    ...(o.mapTitle && o.mapRange ? [await colourBar({ left: cellLeft(3), top: barTop, width: o.box, range: o.mapRange, label: o.mapScale ?? `${o.mapTitle} scale` })] : []),
  ];
  for (const b of bars) {
    spec.images.push(...(b.images ?? []));
    spec.texts.push(...(b.texts ?? []));
  }
  spec.texts.push({ x: pad, y: barTop + 28, text: 'score: normalised,', size: 11, colour: '#555' }, { x: pad, y: barTop + 42, text: 'flagged above 0.5', size: 11, colour: '#555' });
  return figurePng({ width, height, ...spec });
}

/** Series colours of the t-SNE plot: real, generated (RGB). */
export const TSNE_COLOURS = { real: [31, 119, 180], generated: [255, 127, 14] } as const;
/** Layout of the t-SNE figure: plot side, the title band above it, the legend column right of it. */
export const TSNE_LAYOUT = { plot: 400, header: 52, legendWidth: 210, pad: 8 } as const;

/**
 * The t-SNE scatter of real and generated images with a title, the generator's Frechet distance
 * and a legend (swatch, name, count per series).
 */
export async function tsneFigure(
  plot: { width: number; height: number; data: Uint8Array },
  o: { realCount: number; generatedCount: number; realLabel: string; frechet: number | null },
): Promise<Buffer> {
  const { header, legendWidth, pad } = TSNE_LAYOUT;
  const png = await sharp(Buffer.from(plot.data), { raw: { width: plot.width, height: plot.height, channels: 3 } }).png().toBuffer();
  const legendLeft = pad + plot.width + pad;
  const swatch = (y: number, fill: readonly [number, number, number]) => ({ x: legendLeft, y, width: 14, height: 14, fill: [...fill] as [number, number, number] });
  return figurePng({
    width: legendLeft + legendWidth,
    height: header + plot.height + pad,
    images: [{ png, left: pad, top: header }],
    rects: [swatch(header + 24, TSNE_COLOURS.real), swatch(header + 48, TSNE_COLOURS.generated)],
    texts: [
      { x: pad, y: 20, text: 't-SNE of real and generated images', size: 15, bold: true },
      { x: pad, y: 40, text: `latent Frechet distance, generated vs qualified: ${o.frechet === null ? '-' : o.frechet.toFixed(2)} (lower: closer)`, size: 12, colour: '#555' },
      { x: legendLeft, y: header + 12, text: 'legend', bold: true },
      { x: legendLeft + 20, y: header + 36, text: `${o.realLabel} (${o.realCount})` },
      { x: legendLeft + 20, y: header + 60, text: `generated (${o.generatedCount})` },
      { x: legendLeft, y: header + 90, text: 't-SNE axes have no units:', size: 11, colour: '#555' },
      { x: legendLeft, y: header + 104, text: 'only neighbourhoods matter.', size: 11, colour: '#555' },
    ],
  });
}

/**
 * A latent interpolation strip (16 per row) with a title naming its two ends; `meanTile` says
 * the ends are each image's mean tile latent (patch models).
 */
export async function interpolationFigure(images: FloatImage[], o: { from: string; to: string; meanTile?: boolean }): Promise<Buffer> {
  const strip = await montagePng(images, { columns: 16, padding: 1 });
  return titledPng(strip, {
    title: `Latent interpolation: ${o.from} → ${o.to}`,
    subtitle: `G(z) at ${images.length} evenly spaced latents between the two images' ${o.meanTile ? 'mean tile latents' : 'inverted latents'}, left to right, row by row`,
    minWidth: 640,
  });
}
