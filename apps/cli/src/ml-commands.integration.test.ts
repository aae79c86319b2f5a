// The ML engineer's CLI end to end: train for a few steps on a tiny generated folder dataset,
// resume, evaluate, and check that the JSON report and the pictures exist and are valid.
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticTextures } from '@gansight/ml';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', 'bin', 'gansight.js');
let root: string;

async function writePng(path: string, data: Float32Array | Uint8Array, size: number, isMask = false): Promise<void> {
  const bytes = Uint8Array.from(data, (v) => (isMask ? (v ? 255 : 0) : Math.round((v + 1) * 127.5)));
  await writeFile(path, await sharp(Buffer.from(bytes), { raw: { width: size, height: size, channels: 1 } }).toColourspace('b-w').png().toBuffer());
}

async function gansight(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [BIN, ...args], { cwd: root, maxBuffer: 32 * 1024 * 1024, timeout: 240_000 });
}

describe('gansight train / evaluate / bench', () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gansight-cli-'));
    const data = join(root, 'data');
    const good = syntheticTextures('wood', 48, { size: 32, seed: 1 });
    const test = syntheticTextures('wood', 18, { size: 32, seed: 2, defectRate: 0.5 });
    for (const dir of ['train/good', 'test/good', 'test/stain', 'test/scratch', 'test/crack', 'ground_truth/stain', 'ground_truth/scratch', 'ground_truth/crack']) {
      await mkdir(join(data, dir), { recursive: true });
    }
    await Promise.all(good.map((g, i) => writePng(join(data, 'train/good', `${i}.png`), g.image.data, 32)));
    await Promise.all(test.map(async (t, i) => {
      await writePng(join(data, 'test', t.defect ?? 'good', `${i}.png`), t.image.data, 32);
      if (t.defect) await writePng(join(data, 'ground_truth', t.defect, `${i}.png`), t.mask, 32, true);
    }));
    // A corrupt file among the test images is skipped with a message, never scored.
    await writeFile(join(data, 'test/good/broken.png'), Buffer.from('not a png'));
  }, 60_000);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('trains with checkpoints, resumes, and writes a calibrated model', async () => {
    const common = ['train', '--data', 'data', '--out', 'model', '--size', '32', '--nf', '8', '--zdim', '16', '--batch', '8',
      '--checkpoint-every', '2', '--sample-every', '2', '--validation', '0.25', '--encoder-steps', '4', '--inv-iters', '5', '--threads', '1'];
    const first = await gansight([...common, '--steps', '2', '--gan-only']);
    expect(first.stderr).toMatch(/36 training and 12 validation images/);
    const ckpt = JSON.parse(await readFile(join(root, 'model/checkpoint.json'), 'utf8'));
    expect(ckpt.meta.step).toBe(2);
    const second = await gansight([...common, '--steps', '4', '--resume']);
    expect(second.stderr).toMatch(/resuming at step 2/);
    expect(second.stderr).toMatch(/trained 4 steps/);
    const manifest = JSON.parse(await readFile(join(root, 'model/model.json'), 'utf8'));
    expect(manifest.meta.hasEncoder).toBe(true);
    expect(manifest.meta.calibration.validationCount).toBe(12);
    expect(manifest.meta.calibration.normalisation.threshold).toEqual(expect.any(Number));
    // Per-image intensity standardisation is the default (docs/adr/0010), recorded for evaluate.
    expect(manifest.meta.hyper.intensity).toBe('per-image');
    expect((await sharp(join(root, 'model/samples/step-000004.png')).metadata()).width).toBeGreaterThan(32);
  }, 300_000);

  it('evaluates: table on stdout, report.json and valid PNGs', async () => {
    const { stdout, stderr } = await gansight(['evaluate', '--model', 'model', '--data', 'data', '--out', 'report', '--tsne-samples', '12', '--threads', '1']);
    expect(stderr).toMatch(/skipped .*broken\.png/);
    expect(stdout).toMatch(/image AUROC by score/);
    expect(stdout).toMatch(/baseline gmm/);
    const report = JSON.parse(await readFile(join(root, 'report/report.json'), 'utf8'));
    expect(report.counts).toMatchObject({ qualified: 9, defective: 9 });
    // Every score kind has an AUROC in [0, 1] (a 4-step model separates nothing, so no more is
    // asked here), and the printed table shows the same figures as report.json.
    expect(report.aurocByKind.combined).toEqual(expect.any(Number));
    for (const [kind, v] of Object.entries(report.aurocByKind as Record<string, number | null>)) {
      if (v === null) continue;
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      expect(stdout).toMatch(new RegExp(`\\n  ${kind} +${v.toFixed(3)}\\n`));
    }
    expect(report.baselines.map((b: { name: string }) => b.name)).toEqual(['gmm', 'ocsvm', 'lof']);
    expect(Object.keys(report.frechetByType).sort()).toEqual(['crack', 'good', 'scratch', 'stain']);
    expect(report.pixelAuroc).toBeGreaterThan(0);
    expect(report.items).toHaveLength(18);
    expect(report.generatorCheck.tsne.points).toHaveLength(24);
    for (const [file, minWidth] of [['reconstructions.png', 96], ['tsne.png', 400], ['interpolation-good.png', 16 * 32], ['interpolation-defect.png', 16 * 32]] as const) {
      const meta = await sharp(join(root, 'report', file)).metadata();
      expect(meta.format).toBe('png');
      expect(meta.width).toBeGreaterThanOrEqual(minWidth);
    }
  }, 300_000);

  it('refuses a truncated model with a typed message', async () => {
    const bin = await readFile(join(root, 'model/model.bin'));
    await mkdir(join(root, 'broken'), { recursive: true });
    await writeFile(join(root, 'broken/model.json'), await readFile(join(root, 'model/model.json')));
    await writeFile(join(root, 'broken/model.bin'), bin.subarray(0, bin.length - 100));
    await expect(gansight(['evaluate', '--model', 'broken', '--data', 'data', '--threads', '1'])).rejects.toMatchObject({
      stderr: expect.stringMatching(/truncated/),
    });
  }, 120_000);

  it('bench prints the JSON line of BENCHMARK.md last', async () => {
    const { stdout } = await gansight(['bench', '--size', '32', '--nf', '8', '--batch', '4', '--steps', '1', '--inv-iters', '1', '--threads', '1']);
    const last = JSON.parse(stdout.trim().split('\n').pop()!);
    for (const key of ['framework', 'threads', 'size', 'nf', 'batch', 'channels', 'loss', 'train_step_ms', 'train_images_per_s', 'inversion_ms_per_image_iter', 'peak_rss_mb']) {
      expect(last).toHaveProperty(key);
    }
    expect(last.size).toBe(32);
  }, 120_000);
});
