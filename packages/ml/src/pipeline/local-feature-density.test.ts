// The local feature density: per-position Gaussians of D's block maps. It must flag a small
// local deviation that a density of the whole image's features cannot see, point at where it
// is, compute exact Mahalanobis distances, read D's maps on the right grid without leaking
// tensors, and travel with the model's artifacts (older models still load).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { auroc, covarianceMatrix, createRng, solve } from '../analysis';
import { selectBackend } from '../backend/select-backend';
import { buildDcgan, disposeDcgan, type Dcgan } from '../dcgan/dcgan-model';
import { discriminatorFeatureMaps } from './discriminator-features';
import { featureDensityScores, fitFeatureDensity } from './feature-density';
import {
  defaultLocalGrid, fitLocalFeatureDensity, imageLocalFeatures, localFeatureDensityMaps, localGridFeatures, upsampleGridMap,
} from './local-feature-density';
import { DEFAULT_SCORING, type Calibration } from './inspection-model';
import { loadInspectionModel, memoryArtifactIO, MODEL_FILES, saveInspectionModel } from './model-artifacts';
import { isPipelineError } from './pipeline-error';

const GRID = 8;
const C = 16;

/**
 * Features of qualified images on an 8x8 grid: one "look" (2 numbers per image, shared by every
 * position) drawn through a fixed per-position 4x2 matrix into channels 0-3, plus small noise
 * (0.3) in all 16 channels. A defective image gets +3 on channel 6 at one position: one of 1024
 * numbers for the image as a whole (as D's last features are 2048 at 64 px), but 10 noise
 * widths off at that position.
 */
function features(n: number, seed: number, defective: boolean): { f: Float32Array[]; at: number[] } {
  const rng = createRng(seed);
  const mix = Array.from({ length: GRID * GRID * 4 * 2 }, (_, i) => Math.sin(i * 1.7) * 2);
  const f: Float32Array[] = [];
  const at: number[] = [];
  for (let k = 0; k < n; k++) {
    const look = [rng.normal(), rng.normal()];
    const v = new Float32Array(GRID * GRID * C);
    for (let p = 0; p < GRID * GRID; p++) {
      for (let c = 0; c < C; c++) {
        const styled = c < 4 ? mix[(p * 4 + c) * 2]! * look[0]! + mix[(p * 4 + c) * 2 + 1]! * look[1]! : 0;
        v[p * C + c] = styled + 0.3 * rng.normal();
      }
    }
    const where = rng.int(GRID * GRID);
    if (defective) v[where * C + 6]! += 3;
    f.push(v);
    at.push(where);
  }
  return { f, at };
}

const argmax = (a: Float32Array) => a.reduce((best, v, i) => (v > a[best]! ? i : best), 0);

describe('localFeatureDensity', () => {
  it('flags a small local deviation that the global feature density misses, and points at it', () => {
    const train = features(400, 1, false).f;
    const good = features(60, 2, false).f;
    const bad = features(60, 3, true);
    const labels = [...good.map(() => false), ...bad.f.map(() => true)];
    const local = fitLocalFeatureDensity(train, { grid: GRID });
    const maps = localFeatureDensityMaps(local, [...good, ...bad.f]);
    const localScores = maps.map((m) => Math.max(...m));
    // featureDensity's construction (PCA + mixture of the whole vector), sized as
    // finishInspectionModel sizes it for 400 images.
    const global = fitFeatureDensity(train, { components: 50, mixture: 4, seed: 0 });
    const globalScores = featureDensityScores(global, [...good, ...bad.f]);
    expect(auroc(localScores, labels)).toBeGreaterThanOrEqual(0.98);
    expect(auroc(globalScores, labels)).toBeLessThan(0.75);
    const pointed = bad.at.filter((p, i) => argmax(maps[good.length + i]!) === p).length;
    expect(pointed / bad.at.length).toBeGreaterThanOrEqual(0.95);
  });

  it('gives the exact Mahalanobis distance to each position\'s shrunk Gaussian', () => {
    const train = features(50, 4, false).f;
    const probe = features(3, 5, true).f;
    const density = fitLocalFeatureDensity(train, { grid: GRID, shrinkage: 0.1 });
    const maps = localFeatureDensityMaps(density, probe);
    for (const p of [0, 7, 63]) {
      const vectors = train.map((f) => f.subarray(p * C, (p + 1) * C));
      const cov = covarianceMatrix(vectors, { shrinkage: 0.1 });
      const mean = Array.from({ length: C }, (_, c) => vectors.reduce((s, v) => s + v[c]!, 0) / vectors.length);
      probe.forEach((f, i) => {
        const diff = Array.from({ length: C }, (_, c) => f[p * C + c]! - mean[c]!);
        const x = solve(cov, diff);
        const expected = Math.sqrt(diff.reduce((s, d, c) => s + d * x[c]!, 0));
        expect(maps[i]![p]!).toBeCloseTo(expected, 3);
      });
    }
  });

  it('keeps at most maxDims channels, the same ones for the same seed', () => {
    const train = features(40, 6, false).f;
    const a = fitLocalFeatureDensity(train, { grid: GRID, maxDims: 5, seed: 3 });
    const b = fitLocalFeatureDensity(train, { grid: GRID, maxDims: 5, seed: 3 });
    expect(a.featureChannels).toBe(C);
    expect(a.channels).toHaveLength(5);
    expect(a.channels).toEqual(b.channels);
    expect([...a.channels].sort((x, y) => x - y)).toEqual(a.channels);
    expect(a.factor).toHaveLength(GRID * GRID * 15);
    expect(Array.from(localFeatureDensityMaps(a, features(2, 7, true).f)[0]!).every(Number.isFinite)).toBe(true);
    expect(() => localFeatureDensityMaps(a, [new Float32Array(10)])).toThrow(RangeError);
  });

  it('upsamples a grid map bilinearly: constants stay constant, a step becomes a ramp between cell centres', () => {
    expect(Array.from(upsampleGridMap(new Float32Array(16).fill(2.5), 4, 32)).every((v) => v === 2.5)).toBe(true);
    const up = upsampleGridMap(Float32Array.from([0, 1, 0, 1]), 2, 4);
    // Columns: pixel centres 0.5, 1.5, 2.5, 3.5 sit at grid coordinates -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
    expect(Array.from(up.subarray(0, 4))).toEqual([0, 0.25, 0.75, 1]);
    expect(Array.from(up.subarray(12, 16))).toEqual([0, 0.25, 0.75, 1]);
  });
});

describe("localFeatureDensity on D's maps, and in the model's artifacts", () => {
  let dcgan: Dcgan;
  beforeAll(async () => {
    await selectBackend('wasm', undefined, { threads: 2 });
    dcgan = buildDcgan({ size: 32, nf: 4, zdim: 8, channels: 1 }, 2);
  });

  it("averages D's finer block maps and repeats the coarser ones onto the grid, leaking no tensors", () => {
    expect(defaultLocalGrid(32)).toBe(4);
    expect(defaultLocalGrid(64)).toBe(8);
    expect(defaultLocalGrid(128)).toBe(8);
    const x = tf.randomUniform([3, 32, 32, 1], -1, 1, 'float32', 1) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const [grid, maps] = tf.tidy(() => [localGridFeatures(dcgan.discriminator, x, 4).arraySync(), discriminatorFeatureMaps(dcgan.discriminator, x).map((m) => m.arraySync())]);
    expect(tf.memory().numTensors).toBe(before);
    // 32 px, nf 4: the input conv 16x16x4 (left out), blocks 8x8x8 and 4x4x16.
    const [, b1, b2] = maps as number[][][][][];
    expect(grid).toHaveLength(3);
    expect(grid[0]).toHaveLength(16);
    expect(grid[0]![0]).toHaveLength(8 + 16);
    const n = 1;
    const [gy, gx] = [2, 3];
    for (let c = 0; c < 8; c++) {
      const pooled = (b1![n]![2 * gy]![2 * gx]![c]! + b1![n]![2 * gy]![2 * gx + 1]![c]! + b1![n]![2 * gy + 1]![2 * gx]![c]! + b1![n]![2 * gy + 1]![2 * gx + 1]![c]!) / 4;
      expect(grid[n]![gy * 4 + gx]![c]!).toBeCloseTo(pooled, 5);
    }
    for (let c = 0; c < 16; c++) expect(grid[n]![gy * 4 + gx]![8 + c]!).toBeCloseTo(b2![n]![gy]![gx]![c]!, 6);
    const images = Array.from({ length: 3 }, (_, i) => ({ width: 32, height: 32, channels: 1, data: (x.arraySync() as number[][][][])[i]!.flat(2).map(Number) }))
      .map((im) => ({ ...im, data: Float32Array.from(im.data) }));
    const batched = imageLocalFeatures(dcgan.discriminator, images, 4, 2);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(batched[2]!)).toEqual((grid[2] as number[][]).flat().map((v) => Math.fround(v)));
    x.dispose();
  });

  it('round-trips through the artifacts as tensors; a damaged or missing factor is BAD_ARTIFACT; older models load unchanged', async () => {
    const local = fitLocalFeatureDensity(features(30, 8, false).f, { grid: GRID });
    const calibration = {
      scoring: DEFAULT_SCORING, latentMean: [0], latentCovariance: [1], residualPixelMean: [0], residualPixelStd: [1], scoreStatistics: {},
      localFeatureDensity: local, combineKinds: ['localFeatureDensity'], falseAlarmRate: 0.05,
      normalisation: { threshold: 1, min: 0, max: 2 }, thresholds: {}, validationCount: 8,
    } as unknown as Calibration;
    const io = memoryArtifactIO();
    await saveInspectionModel(io, { dcgan, encoder: null, calibration, hyper: {} });
    const manifestText = new TextDecoder().decode(io.store.get(MODEL_FILES.manifest)!);
    // Mean and factor stay out of the JSON (millions of numbers at 64 px: ~10x larger as text).
    const meta = JSON.parse(manifestText) as { meta: { calibration: Calibration }; entries: { name: string }[] };
    expect(Object.keys(meta.meta.calibration.localFeatureDensity!).sort()).toEqual(['channels', 'featureChannels', 'grid', 'shrinkage']);
    expect(meta.entries.map((e) => e.name)).toEqual(expect.arrayContaining(['calibration/localFeatureDensity/mean', 'calibration/localFeatureDensity/factor']));
    const loaded = await loadInspectionModel(io);
    expect(loaded.calibration!.localFeatureDensity!.factor).toEqual(local.factor);
    expect(loaded.calibration!.localFeatureDensity!.mean).toEqual(local.mean);
    expect(loaded.calibration).toEqual(calibration);
    disposeDcgan(loaded.dcgan);

    const renamed = new TextEncoder().encode(manifestText.replace('calibration/localFeatureDensity/factor', 'calibration/localFeatureDensity/other'));
    const code = await loadInspectionModel(memoryArtifactIO(new Map([[MODEL_FILES.manifest, renamed], [MODEL_FILES.data, io.store.get(MODEL_FILES.data)!]])))
      .then(() => 'loaded', (e) => (isPipelineError(e) ? e.code : 'untyped'));
    expect(code).toBe('BAD_ARTIFACT');

    const old = memoryArtifactIO();
    const { localFeatureDensity: _dropped, ...before } = calibration;
    await saveInspectionModel(old, { dcgan, encoder: null, calibration: before as Calibration, hyper: {} });
    const oldLoaded = await loadInspectionModel(old);
    expect(oldLoaded.calibration).toEqual(before);
    disposeDcgan(oldLoaded.dcgan);
  });
});
