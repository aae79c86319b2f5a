import { describe, expect, it } from 'vitest';
import { fitPatchNearestNeighbour, patchDistances, patchOrigins, scorePatchNearestNeighbour, standardisedPatches, type PatchImage } from './patch-nearest-neighbour';
import { pcaTransform } from './pca';
import { runPatchNearestNeighbour } from './run-baselines';
import { stripedSurfaces as surfaces } from './test-fixtures';
import { quantile } from './threshold';

/** The image score by definition: every patch against every training patch of the other images. */
function bruteForceScores(model: ReturnType<typeof fitPatchNearestNeighbour>, train: PatchImage[], images: PatchImage[], leaveOut: boolean): number[] {
  const cut = (img: PatchImage) => pcaTransform(model.pca, standardisedPatches(img, model.patch, model.stride, model.epsilon));
  const trainPatches = train.map(cut);
  return images.map((img, g) => {
    let worst = 0;
    for (const p of cut(img)) {
      let best = Infinity;
      trainPatches.forEach((patches, h) => {
        if (leaveOut && h === g) return;
        for (const t of patches) best = Math.min(best, p.reduce((s, v, j) => s + (v - (t[j] as number)) ** 2, 0));
      });
      worst = Math.max(worst, best);
    }
    return Math.sqrt(worst);
  });
}

describe('patch nearest-neighbour baseline', () => {
  it('cuts patches at the stride and standardises each to mean 0, dividing by its std + epsilon', () => {
    expect(patchOrigins(40, 24, 16, 8)).toEqual([[0, 0], [8, 0], [16, 0], [24, 0], [0, 8], [8, 8], [16, 8], [24, 8]]);
    const img = { width: 20, height: 16, channels: 1, data: Float32Array.from({ length: 320 }, (_, i) => ((i * 7) % 11) / 5 - 1) };
    const [first] = standardisedPatches(img, 16, 8, 0.1);
    const raw = Array.from({ length: 256 }, (_, k) => img.data[Math.floor(k / 16) * 20 + (k % 16)]!);
    const mean = raw.reduce((a, b) => a + b, 0) / 256;
    const std = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / 256);
    raw.forEach((v, k) => expect(first![k]).toBeCloseTo((v - mean) / (std + 0.1), 5));
    // A flat patch stays flat (0) rather than being blown up.
    expect(Array.from(standardisedPatches({ width: 16, height: 16, channels: 1, data: new Float32Array(256).fill(0.3) }, 16, 8, 0.1)[0]!).every((v) => Math.abs(v) < 1e-6)).toBe(true);
    expect(() => standardisedPatches({ width: 12, height: 30, channels: 1, data: new Float32Array(360) }, 16, 8, 0.1)).toThrow(/smaller than one 16x16 patch/);
  });

  it('gives the same image scores as checking every patch against every training patch (test images, and training images left one out)', () => {
    const train = surfaces(1, 12, false);
    const test = [...surfaces(2, 5, false), ...surfaces(3, 5, true)];
    const model = fitPatchNearestNeighbour(train, { components: 6 });
    const scores = scorePatchNearestNeighbour(model, test);
    bruteForceScores(model, train, test, false).forEach((s, i) => expect(scores[i]).toBeCloseTo(s, 9));
    bruteForceScores(model, train, train, true).forEach((s, i) => expect(model.trainScores[i]).toBeCloseTo(s, 9));
    // patchDistances (no early stop) agrees: its maximum is the image score.
    test.forEach((img, i) => expect(Math.max(...patchDistances(model, img))).toBeCloseTo(scores[i]!, 9));
  });

  it('finds a planted 4 x 4 spot: defective images rank above good ones and the worst patch covers the spot', () => {
    const train = surfaces(11, 40, false);
    const good = surfaces(12, 20, false);
    const bad = surfaces(13, 20, true);
    const result = runPatchNearestNeighbour(train, [
      ...good.map((image) => ({ image, defective: false, defectType: null })),
      ...bad.map((image) => ({ image, defective: true, defectType: 'spot' })),
    ]);
    expect(result.name).toBe('patchNN');
    expect(result.auroc).toBeGreaterThan(0.95);
    expect(result.detection.spot!.rate).toBeGreaterThan(0.9);
    expect(result.detection.good!.count).toBe(20);
    expect(result.testScores).toHaveLength(40);
    // Threshold: the 95th percentile of the training images' leave-one-out scores.
    const model = fitPatchNearestNeighbour(train);
    expect(result.threshold).toBeCloseTo(quantile(model.trainScores, 0.95), 12);
    for (const img of bad) {
      const d = patchDistances(model, img);
      const [x, y] = patchOrigins(img.width, img.height, 16, 8)[d.indexOf(Math.max(...d))]!;
      const [sx, sy] = img.spot!;
      expect(sx + 4 > x && sx < x + 16 && sy + 4 > y && sy < y + 16, `worst patch at ${x},${y}, spot at ${sx},${sy}`).toBe(true);
    }
  });
});
