import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { GaussianMixtureDetector } from '../analysis';
import { createRng } from '../analysis/random';
import { selectBackend } from '../backend/select-backend';
import { buildDcgan, disposeDcgan } from '../dcgan/dcgan-model';
import { featureDensityScores, fitFeatureDensity, imageFeatures } from './feature-density';

/** n vectors of length d around one of two far-apart centres (+-3 on every coordinate), unit noise. */
function twoModes(n: number, d: number, seed: number): Float32Array[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => Float32Array.from({ length: d }, () => (i % 2 ? 3 : -3) + rng.normal()));
}

describe('featureDensity', () => {
  it('a mixture calls the gap between two modes unusual, where a single Gaussian would put its mean', () => {
    const train = twoModes(400, 64, 1);
    const density = fitFeatureDensity(train, { components: 10, mixture: 2, seed: 0 });
    const single = fitFeatureDensity(train, { components: 10, mixture: 1, seed: 0 });
    const held = featureDensityScores(density, twoModes(100, 64, 2));
    const gap = [new Float32Array(64)]; // the midpoint of the two modes: the overall mean
    const sorted = [...held].sort((a, b) => a - b);
    expect(featureDensityScores(density, gap)[0]).toBeGreaterThan(sorted[Math.floor(0.99 * sorted.length)]!);
    const heldSingle = featureDensityScores(single, twoModes(100, 64, 2)).sort((a, b) => a - b);
    expect(featureDensityScores(single, gap)[0]).toBeLessThan(heldSingle[Math.floor(0.5 * heldSingle.length)]!);
  });

  it('survives a JSON round trip with identical scores (it is stored in the calibration)', () => {
    const train = twoModes(200, 32, 3);
    const density = fitFeatureDensity(train, { components: 8, mixture: 2, seed: 1 });
    const again = JSON.parse(JSON.stringify(density)) as typeof density;
    const probe = twoModes(10, 32, 4);
    expect(featureDensityScores(again, probe)).toEqual(featureDensityScores(density, probe));
    const gmm = new GaussianMixtureDetector({ components: 2, seed: 0 }).fit(probe.concat(train));
    expect(Array.from(GaussianMixtureDetector.fromState(JSON.parse(JSON.stringify(gmm.exportState()))).score(probe))).toEqual(Array.from(gmm.score(probe)));
  });

  it("imageFeatures returns D's last features per image, in batches, leaking no tensors", async () => {
    await selectBackend('wasm', undefined, { threads: 1 });
    const m = buildDcgan({ size: 32, nf: 8, zdim: 16 }, 4);
    const images = Array.from({ length: 5 }, (_, i) => ({ width: 32, height: 32, channels: 1, data: new Float32Array(32 * 32).fill(i / 5) }));
    const before = tf.memory().numTensors;
    const f = imageFeatures(m.discriminator, images, 2);
    expect(tf.memory().numTensors).toBe(before);
    expect(f).toHaveLength(5);
    // 32 px: D's last block is 4x4 with 4 * nf channels.
    expect(f[0]!.length).toBe(4 * 4 * 32);
    expect(Array.from(imageFeatures(m.discriminator, [images[3]!])[0]!)).toEqual(Array.from(f[3]!));
    disposeDcgan(m);
  });
});
