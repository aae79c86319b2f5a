// The ML engineer's CLI end to end: train for a few steps on a tiny generated folder dataset,
// resume, evaluate, recalibrate the threshold on labelled images, and check that the JSON
// report and the pictures exist and are valid.
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticTextures } from '@gansight/ml';
import { reconstructionFigureSize, TSNE_LAYOUT } from './commands/evaluation-pictures';

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
    const common = ['train', '--model', 'whole', '--data', 'data', '--out', 'model', '--size', '32', '--nf', '8', '--zdim', '16', '--batch', '8',
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
    // asked here), and the printed table shows the same figures as report.json for the kinds
    // the model computes (report.kinds; a patch model's others read 0 and are not printed).
    expect(report.aurocByKind.combined).toEqual(expect.any(Number));
    expect(report.kinds).toContain('combined');
    for (const kind of report.kinds as string[]) {
      const v = report.aurocByKind[kind] as number | null;
      if (v === null) continue;
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      expect(stdout).toMatch(new RegExp(`\\n  ${kind} +${v.toFixed(3)}\\n`));
    }
    // The patch nearest-neighbour baseline runs beside the PCA ones, on the images at a short side of 128 px.
    expect(report.baselines.map((b: { name: string }) => b.name)).toEqual(['gmm', 'ocsvm', 'lof', 'patchNN']);
    const patchNN = report.baselines[3];
    expect(patchNN.auroc).toBeGreaterThanOrEqual(0);
    expect(Object.values(patchNN.detection as Record<string, { count: number }>).reduce((s, d) => s + d.count, 0)).toBe(18);
    expect(stdout).toMatch(/baseline patchNN +\d\.\d{3}/);
    expect(Object.keys(report.frechetByType).sort()).toEqual(['crack', 'good', 'scratch', 'stain']);
    // A plumbing check on a 4-step model: an AUROC was computed from the masks (its value says
    // nothing yet; the synthetic tests and RESULTS.md measure quality).
    expect(report.pixelAuroc).toBeGreaterThan(0);
    expect(report.pixelAuroc).toBeLessThanOrEqual(1);
    expect(report.items).toHaveLength(18);
    expect(report.generatorCheck.tsne.points).toHaveLength(24);
    for (const [file, minWidth] of [['reconstructions.png', 96], ['tsne.png', 400], ['interpolation-good.png', 16 * 32], ['interpolation-defect.png', 16 * 32]] as const) {
      const meta = await sharp(join(root, 'report', file)).metadata();
      expect(meta.format).toBe('png');
      expect(meta.width).toBeGreaterThanOrEqual(minWidth);
    }
    // Pictures readable on their own: two labelled rows per group, titled columns (a fourth for
    // the defect map or local density) and colour bars; the t-SNE plot with its title and legend.
    const rows = Object.values(report.counts.byType as Record<string, number>).reduce((s, n) => s + Math.min(2, n), 0);
    const columns = report.pixelAurocDefectMap !== null || report.pixelAurocLocalDensity !== null ? 4 : 3;
    const recon = await sharp(join(root, 'report/reconstructions.png')).metadata();
    expect({ width: recon.width, height: recon.height }).toEqual(reconstructionFigureSize(rows, columns, report.kinds.includes('defectMap') ? 192 : 128));
    const tsne = await sharp(join(root, 'report/tsne.png')).metadata();
    expect([tsne.width, tsne.height]).toEqual([TSNE_LAYOUT.pad * 2 + TSNE_LAYOUT.plot + TSNE_LAYOUT.legendWidth, TSNE_LAYOUT.header + TSNE_LAYOUT.plot + TSNE_LAYOUT.pad]);
  }, 300_000);

  it('calibrate: F1-optimal threshold on labelled images, stored with its rule; evaluate says so', async () => {
    await mkdir(join(root, 'model-f1'), { recursive: true });
    for (const f of ['model.json', 'model.bin']) await copyFile(join(root, 'model', f), join(root, 'model-f1', f));
    const bin = await readFile(join(root, 'model-f1/model.bin'));
    const { stdout, stderr } = await gansight(['calibrate', '--model', 'model-f1', '--data', 'data', '--rule', 'f1', '--threads', '1']);
    expect(stderr).toMatch(/skipped .*broken\.png/);
    expect(stderr).toMatch(/scored 18\/18/);
    expect(stdout).toMatch(/threshold rule: F1-optimal on 18 labelled images \(9 qualified, 9 defective\)/);
    const summary = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(summary).toMatchObject({ saved: true, setting: { rule: 'f1', from: 'labelled', qualified: 9, defective: 9 } });
    expect(summary.after.f1).toBe(summary.setting.f1);
    expect(summary.after.f1).toBeGreaterThanOrEqual(summary.before.f1);
    // Only the manifest changed: the weights' blob is byte for byte what it was.
    expect(await readFile(join(root, 'model-f1/model.bin'))).toEqual(bin);
    const manifest = JSON.parse(await readFile(join(root, 'model-f1/model.json'), 'utf8'));
    expect(manifest.meta.calibration.thresholdSetting).toEqual(summary.setting);
    expect(manifest.meta.calibration.normalisation.threshold).toBe(summary.after.threshold);

    // Evaluated on the same images, the stored threshold gives the F1 the calibration reported.
    const evaluated = await gansight(['evaluate', '--model', 'model-f1', '--data', 'data', '--out', 'report-f1', '--no-baselines', '--tsne-samples', '4', '--threads', '1']);
    expect(evaluated.stdout).toMatch(/calibrated threshold \(F1-optimal on 18 labelled images/);
    const report = JSON.parse(await readFile(join(root, 'report-f1/report.json'), 'utf8'));
    expect(report.baselines).toBeNull(); // --no-baselines skips all four, patchNN included
    expect(report.calibrated.setting).toEqual(summary.setting);
    expect(report.calibrated.metrics.f1).toBeCloseTo(summary.after.f1, 10);
    for (const item of report.items) expect(item.normalisedScore > 0.5).toBe(item.anomalous);
  }, 300_000);

  it('calibrate: too few defects, a bad rule or a dry run leave the model unchanged', async () => {
    const few = join(root, 'few');
    for (const dir of ['train/good', 'test/good', 'test/stain']) await mkdir(join(few, dir), { recursive: true });
    const good = syntheticTextures('wood', 10, { size: 32, seed: 7 });
    const stains = syntheticTextures('wood', 2, { size: 32, seed: 8, defectRate: 1, defects: ['stain'] });
    await Promise.all(good.map((g, i) => writePng(join(few, 'test/good', `${i}.png`), g.image.data, 32)));
    await Promise.all(stains.map((t, i) => writePng(join(few, 'test/stain', `${i}.png`), t.image.data, 32)));
    const files = async () => Promise.all(['model.json', 'model.bin'].map((f) => readFile(join(root, 'model', f))));
    const before = await files();
    await expect(gansight(['calibrate', '--model', 'model', '--data', 'few', '--threads', '1'])).rejects.toMatchObject({
      code: 2, stderr: expect.stringMatching(/BAD_INPUT: the f1 threshold rule needs at least 8 qualified and 8 defective images; the labelled set has 10 qualified and 2 defective/),
    });
    await expect(gansight(['calibrate', '--model', 'model', '--data', 'data', '--rule', 'median'])).rejects.toMatchObject({
      code: 2, stderr: expect.stringMatching(/--rule must be f1 or false-alarm/),
    });
    // The false-alarm rule needs qualified images only; --dry-run shows its effect and writes nothing.
    const dry = await gansight(['calibrate', '--model', 'model', '--data', 'few', '--rule', 'false-alarm', '--false-alarm-rate', '0.1', '--dry-run', '--threads', '1']);
    expect(dry.stdout).toMatch(/false-alarm target 0\.1 on 12 labelled images \(10 qualified, 2 defective\)/);
    expect(JSON.parse(dry.stdout.trim().split('\n').pop()!)).toMatchObject({ saved: false });
    expect(await files()).toEqual(before);
  }, 300_000);

  it('train --combine sets the kinds of the combined score (--d-statistics precise beside it); an unknown kind is refused before any work', async () => {
    await mkdir(join(root, 'model-combine'), { recursive: true });
    for (const f of ['checkpoint.json', 'checkpoint.bin']) await copyFile(join(root, 'model', f), join(root, 'model-combine', f));
    const common = ['train', '--model', 'whole', '--data', 'data', '--size', '32', '--nf', '8', '--zdim', '16', '--batch', '8', '--steps', '4',
      '--validation', '0.25', '--encoder-steps', '2', '--inv-iters', '0', '--threads', '1'];
    // Resumed at its last step: no GAN step, only the encoder and the calibration run again.
    const { stderr } = await gansight([...common, '--out', 'model-combine', '--resume', '--combine', 'residualStandardised, residualTopK', '--d-statistics', 'precise']);
    expect(stderr).toMatch(/D's BatchNorm statistics recomputed over 36 training images/);
    const manifest = JSON.parse(await readFile(join(root, 'model-combine/model.json'), 'utf8'));
    expect(manifest.meta.calibration.combineKinds).toEqual(['residualStandardised', 'residualTopK']);
    expect(manifest.meta.hyper.discriminatorStatistics).toBe('precise');
    const { stdout } = await gansight(['evaluate', '--model', 'model-combine', '--data', 'data', '--out', 'report-combine', '--no-baselines', '--tsne-samples', '4', '--threads', '1']);
    expect(stdout).toMatch(/image AUROC by score/);
    expect(JSON.parse(await readFile(join(root, 'report-combine/report.json'), 'utf8')).combineKinds).toEqual(['residualStandardised', 'residualTopK']);

    for (const bad of ['residualStandardised,bogus', 'combined', 'residualTopK,residualTopK']) {
      await expect(gansight([...common, '--out', 'model-bad', '--combine', bad])).rejects.toMatchObject({
        code: 2, stderr: expect.stringMatching(/--combine takes distinct score kinds separated by commas, from: reconstruction, /),
      });
    }
    await expect(readFile(join(root, 'model-bad/model.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  }, 300_000);

  it('train --validation-data calibrates on a separate folder and trains on all of --data', async () => {
    await mkdir(join(root, 'parts-apart/train/good'), { recursive: true });
    const apart = syntheticTextures('wood', 10, { size: 32, seed: 9 });
    await Promise.all(apart.map((g, i) => writePng(join(root, 'parts-apart/train/good', `apart-${i}.png`), g.image.data, 32)));
    const { stderr } = await gansight(['train', '--model', 'whole', '--data', 'data', '--validation-data', 'parts-apart', '--out', 'model-apart', '--size', '32', '--nf', '8',
      '--zdim', '16', '--batch', '8', '--steps', '2', '--encoder-steps', '2', '--inv-iters', '0', '--threads', '1']);
    expect(stderr).toMatch(/48 training and 10 validation images/);
    const manifest = JSON.parse(await readFile(join(root, 'model-apart/model.json'), 'utf8'));
    expect(manifest.meta.calibration.validationCount).toBe(10);
    expect(manifest.meta.hyper).toMatchObject({ validationData: 'parts-apart' });
    expect([...manifest.meta.hyper.validationImages].sort()).toEqual(apart.map((_, i) => `apart-${i}.png`).sort());
    // Too few images to calibrate on is refused before any training step, and nothing is written.
    await expect(gansight(['train', '--model', 'whole', '--data', 'data', '--validation', '0.1', '--out', 'model-few', '--size', '32', '--nf', '8', '--steps', '2', '--threads', '1']))
      .rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/BAD_INPUT: calibration needs at least 8 validation images, got 5/) });
    await expect(readFile(join(root, 'model-few/checkpoint.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  }, 300_000);

  it('trains and evaluates a patch model, the default, and refuses impossible patch settings before any work', async () => {
    const flags = ['--data', 'data', '--patch', '32', '--scale', '1', '--nf', '8', '--zdim', '16', '--batch', '8', '--steps', '2',
      '--encoder-steps', '2', '--defect-map-steps', '2', '--validation', '0.25', '--threads', '1'];
    const { stderr } = await gansight(['train', ...flags, '--out', 'model-patch']);
    expect(stderr).toMatch(/36 training and 12 validation images at scale 1 .*32-px patches/);
    expect(stderr).toMatch(/defect map step 2\/2/);
    const manifest = JSON.parse(await readFile(join(root, 'model-patch/model.json'), 'utf8'));
    expect(manifest.meta.patch).toMatchObject({ scale: 1, patch: 32, stride: 32, flips: true, defectMapFlips: true, defectMap: { inputChannels: 2, nf: 8 } });
    expect(manifest.meta.calibration.combineKinds).toEqual(['defectMap']);
    const out = await gansight(['evaluate', '--model', 'model-patch', '--data', 'data', '--threads', '1', '--tsne-samples', '8']);
    const report = JSON.parse(await readFile(join(root, 'model-patch/report/report.json'), 'utf8'));
    expect(report.kinds).toContain('defectMap');
    expect(report.pixelAurocDefectMap).toBeGreaterThan(0);
    expect(out.stdout).toMatch(/defect maps: \d\.\d{3}/);
    expect(out.stdout).toMatch(/false alarms on these qualified images: [\d.]+% \(\d+\/\d+\)/);

    // calibrate sets a patch model's threshold too: its images are scored at the working scale,
    // tile by tile, the way evaluate scored them, and the manifest keeps its patch geometry.
    const calibrated = await gansight(['calibrate', '--model', 'model-patch', '--data', 'data', '--rule', 'f1', '--threads', '1']);
    expect(calibrated.stderr).toMatch(/scored 18\/18/);
    const summary = JSON.parse(calibrated.stdout.trim().split('\n').pop()!);
    expect(summary).toMatchObject({ saved: true, setting: { rule: 'f1', qualified: 9, defective: 9 } });
    expect(summary.after.f1).toBeGreaterThanOrEqual(summary.before.f1);
    const recalibrated = JSON.parse(await readFile(join(root, 'model-patch/model.json'), 'utf8'));
    expect(recalibrated.meta.patch).toEqual(manifest.meta.patch);
    expect(recalibrated.meta.calibration.normalisation.threshold).toBe(summary.after.threshold);
    for (const [bad, message] of [[['--patch', '48'], /--patch must be one of 32, 64, 128/], [['--scale', '2'], /--scale must be in \(0, 1\]/], [['--defect-map', 'maybe'], /--defect-map must be on or off/], [['--combine', 'featureDensity'], /--combine: a patch model computes .*"featureDensity" is not one of them/]] as const) {
      await expect(gansight(['train', ...flags, '--out', 'model-patch-bad', ...bad])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(message) });
    }
    await expect(readFile(join(root, 'model-patch-bad/checkpoint.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  }, 300_000);

  it('refuses a truncated model with a typed message', async () => {
    const bin = await readFile(join(root, 'model/model.bin'));
    await mkdir(join(root, 'broken'), { recursive: true });
    await writeFile(join(root, 'broken/model.json'), await readFile(join(root, 'model/model.json')));
    await writeFile(join(root, 'broken/model.bin'), bin.subarray(0, bin.length - 100));
    await expect(gansight(['evaluate', '--model', 'broken', '--data', 'data', '--threads', '1'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^BAD_ARTIFACT: .*truncated/m),
    });
  }, 120_000);

  it('bench prints the JSON line of packages/ml/bench/README.md last', async () => {
    const { stdout } = await gansight(['bench', '--size', '32', '--nf', '8', '--batch', '4', '--steps', '1', '--inv-iters', '1', '--threads', '1']);
    const last = JSON.parse(stdout.trim().split('\n').pop()!);
    for (const key of ['framework', 'threads', 'size', 'nf', 'batch', 'channels', 'loss', 'train_step_ms', 'train_images_per_s', 'inversion_ms_per_image_iter', 'peak_rss_mb']) {
      expect(last).toHaveProperty(key);
    }
    expect(last.size).toBe(32);
  }, 120_000);
});
