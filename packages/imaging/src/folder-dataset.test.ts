import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFolderDataset, loadFolderDataset, mapWithConcurrency } from './folder-dataset';
import { encodeRaw, texture, threeBands } from './test-images';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gansight-dataset-'));
  const put = async (rel: string, bytes: Uint8Array | string) => {
    await mkdir(join(root, rel, '..'), { recursive: true });
    await writeFile(join(root, rel), bytes);
  };
  for (const n of ['a', 'b', 'c']) await put(`train/good/${n}.png`, await threeBands(40, 30));
  await put('train/good/notes.txt', 'not an image, ignored by extension');
  await put('test/good/g1.jpg', await texture(50, 50));
  await put('test/crack/c1.png', await threeBands(40, 40));
  await put('test/crack/c2.jpg', await texture(60, 60));
  const truncated = await texture(200, 200);
  await put('test/crack/c3-truncated.jpg', truncated.subarray(0, truncated.length >> 1));
  await put('test/stain/s1.png', await threeBands(20, 20));
  // One mask per naming convention; left half defective.
  const mask = new Uint8Array(40 * 40).map((_, i) => (i % 40 < 20 ? 255 : 0));
  await put('ground_truth/crack/c1_mask.png', await encodeRaw(mask, 40, 40, 1));
  await put('ground_truth/crack/c2.png', await encodeRaw(new Uint8Array(60 * 60), 60, 60, 1));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('listFolderDataset', () => {
  it('lists images with split, label, defect type and mask, in a stable order', async () => {
    const items = await listFolderDataset(root);
    const rel = items.map((i) => ({ ...i, path: i.path.slice(root.length + 1), maskPath: i.maskPath?.slice(root.length + 1) ?? null }));
    expect(rel).toEqual([
      { path: 'train/good/a.png', split: 'train', label: 'good', defectType: null, maskPath: null },
      { path: 'train/good/b.png', split: 'train', label: 'good', defectType: null, maskPath: null },
      { path: 'train/good/c.png', split: 'train', label: 'good', defectType: null, maskPath: null },
      { path: 'test/crack/c1.png', split: 'test', label: 'defect', defectType: 'crack', maskPath: 'ground_truth/crack/c1_mask.png' },
      { path: 'test/crack/c2.jpg', split: 'test', label: 'defect', defectType: 'crack', maskPath: 'ground_truth/crack/c2.png' },
      { path: 'test/crack/c3-truncated.jpg', split: 'test', label: 'defect', defectType: 'crack', maskPath: null },
      { path: 'test/good/g1.jpg', split: 'test', label: 'good', defectType: null, maskPath: null },
      { path: 'test/stain/s1.png', split: 'test', label: 'defect', defectType: 'stain', maskPath: null },
    ]);
  });

  it('explains what is missing when the folder is not a dataset', async () => {
    await expect(listFolderDataset(join(root, 'test'))).rejects.toThrow(/train\/good.*MVTec AD/);
  });
});

describe('loadFolderDataset', () => {
  it('loads and preprocesses every readable image, skipping and reporting the truncated one', async () => {
    const items = await listFolderDataset(root);
    const { loaded, skipped } = await loadFolderDataset(items, { size: 16, channels: 1, concurrency: 2 });
    expect(loaded).toHaveLength(7);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]!.item.path).toMatch(/c3-truncated/);
    expect(skipped[0]!.error.code).toBe('BAD_IMAGE');
    expect(skipped[0]!.error.message).toContain('c3-truncated.jpg');
    for (const l of loaded) expect(l.image.data.length).toBe(16 * 16);
    const c1 = loaded.find((l) => l.path.endsWith('c1.png'))!;
    expect(c1.mask).not.toBeNull();
    expect(Array.from(c1.mask!.subarray(0, 16))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    const c2 = loaded.find((l) => l.path.endsWith('c2.jpg'))!;
    expect(c2.mask!.every((v) => v === 0)).toBe(true);
  });
});

describe('mapWithConcurrency', () => {
  it('never runs more than the limit at once and keeps input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapWithConcurrency([5, 1, 4, 2, 3, 0], 2, async (ms, i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, ms * 3));
      inFlight--;
      return i * 10;
    });
    expect(out).toEqual([0, 10, 20, 30, 40, 50]);
    expect(peak).toBe(2);
  });
});
