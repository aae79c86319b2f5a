import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, parse } from 'node:path';
import sharp from 'sharp';
import { ImageError } from './image-error';
import { preprocessImage, resolveSize, type FloatImage, type PreprocessOptions } from './preprocess-image';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.bmp', '.webp', '.tif', '.tiff', '.gif']);

/** One image of an MVTec-AD-style folder dataset. */
export interface DatasetItem {
  path: string;
  split: 'train' | 'test';
  label: 'good' | 'defect';
  /** Folder name under test/ for defects ('crack', ...); null for good images. */
  defectType: string | null;
  /** ground_truth/<defect>/<stem>_mask.png or <stem>.png when present. */
  maskPath: string | null;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function listImages(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names
    .filter((n) => IMAGE_EXTENSIONS.has(extname(n).toLowerCase()) && !n.startsWith('.'))
    .sort()
    .map((n) => join(dir, n));
}

async function findMask(root: string, defect: string, path: string): Promise<string | null> {
  const stem = parse(path).name;
  for (const name of [`${stem}_mask.png`, `${stem}.png`]) {
    const candidate = join(root, 'ground_truth', defect, name);
    try {
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // not there: try the next naming convention
    }
  }
  return null;
}

/**
 * Lists a folder dataset laid out like MVTec AD (train/good, test/good, test/<defect>,
 * optional ground_truth/<defect>/<stem>[_mask].png), sorted so the order is stable.
 */
export async function listFolderDataset(root: string): Promise<DatasetItem[]> {
  if (!(await isDirectory(join(root, 'train', 'good')))) {
    throw new ImageError(
      'BAD_ARGUMENT',
      `${root} is not a folder dataset: expected ${join(root, 'train', 'good')} with defect-free images (MVTec AD layout).`,
    );
  }
  const items: DatasetItem[] = [];
  for (const path of await listImages(join(root, 'train', 'good'))) {
    items.push({ path, split: 'train', label: 'good', defectType: null, maskPath: null });
  }
  const testDir = join(root, 'test');
  if (await isDirectory(testDir)) {
    for (const group of (await readdir(testDir)).sort()) {
      if (!(await isDirectory(join(testDir, group)))) continue;
      for (const path of await listImages(join(testDir, group))) {
        const good = group === 'good';
        items.push({
          path,
          split: 'test',
          label: good ? 'good' : 'defect',
          defectType: good ? null : group,
          maskPath: good ? null : await findMask(root, group, path),
        });
      }
    }
  }
  return items;
}

/** A dataset item with its preprocessed pixels and, when it has one, its mask (1 = defect, 0 = not). */
export interface LoadedItem extends DatasetItem {
  image: FloatImage;
  mask: Uint8Array | null;
}

export interface SkippedItem {
  item: DatasetItem;
  error: ImageError;
}

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping results in input order. */
export async function mapWithConcurrency<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Loads a mask at the product's size: a pixel is defective where the mask is above 127. */
export async function loadMask(path: string, options: { size: number | { width: number; height: number }; mode?: PreprocessOptions['mode'] }): Promise<Uint8Array> {
  const { width, height } = resolveSize(options.size);
  const fit = options.mode === 'center-crop' ? 'cover' : options.mode === 'pad' ? 'contain' : 'fill';
  const { data } = await sharp(await readFile(path), { failOn: 'truncated' })
    .resize(width, height, { fit, kernel: 'nearest', background: { r: 0, g: 0, b: 0, alpha: 1 } })
    .grayscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = (data[i] as number) > 127 ? 1 : 0;
  return out;
}

/**
 * Loads and preprocesses dataset items with a concurrency limit. A corrupt image (or mask) is
 * skipped and reported in `skipped`, never fatal; other errors (I/O, bad options) propagate.
 */
export async function loadFolderDataset(
  items: DatasetItem[],
  options: PreprocessOptions & { concurrency?: number },
): Promise<{ loaded: LoadedItem[]; skipped: SkippedItem[] }> {
  const outcomes = await mapWithConcurrency(items, options.concurrency ?? 8, async (item) => {
    try {
      const image = await preprocessImage(await readFile(item.path), { ...options, source: item.path });
      let mask: Uint8Array | null = null;
      if (item.maskPath) {
        try {
          // Masks come at the image's own output size (the two differ only with a scale).
          mask = await loadMask(item.maskPath, { size: { width: image.width, height: image.height }, ...(options.mode ? { mode: options.mode } : {}) });
        } catch (cause) {
          throw new ImageError('BAD_IMAGE', `The mask ${item.maskPath} is not a readable image; fix or remove it.`, { cause });
        }
      }
      return { ok: true as const, value: { ...item, image, mask } };
    } catch (error) {
      if (error instanceof ImageError && error.code !== 'BAD_ARGUMENT') return { ok: false as const, error };
      throw error;
    }
  });
  const loaded: LoadedItem[] = [];
  const skipped: SkippedItem[] = [];
  outcomes.forEach((o, i) => {
    if (o.ok) loaded.push(o.value);
    else skipped.push({ item: items[i] as DatasetItem, error: o.error });
  });
  return { loaded, skipped };
}
