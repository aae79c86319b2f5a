// evaluateInspection's baselines list: the PCA baselines on the model's images and the patch
// nearest-neighbour baseline ('patchNN') on its own images of any size. The model here is an
// untrained 32-px DCGAN with a hand-made calibration and no inversion iterations: only the
// baselines are under test, and they do not depend on it.
import { beforeAll, describe, expect, it } from 'vitest';
import { stripedSurfaces } from '../analysis/test-fixtures';
import { selectBackend } from '../backend/select-backend';
import { buildDcgan } from '../dcgan/dcgan-model';
import { evaluateInspection, type LabelledImage } from './evaluate-inspection';
import { DEFAULT_SCORING, type InspectionModel } from './inspection-model';

const SIZE = 32;

function model(): InspectionModel {
  return {
    dcgan: buildDcgan({ size: SIZE, nf: 4, zdim: 4, channels: 1 }, 0), encoder: null, hyper: {},
    calibration: {
      scoring: { ...DEFAULT_SCORING, iterations: 0, useEncoder: false, levels: 2, batchSize: 16 },
      latentMean: [0, 0, 0, 0], latentCovariance: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
      residualPixelMean: new Array(SIZE * SIZE).fill(0), residualPixelStd: new Array(SIZE * SIZE).fill(1),
      scoreStatistics: { reconstruction: { mean: 0, std: 1 } }, combineKinds: ['reconstruction'], falseAlarmRate: 0.05,
      normalisation: { threshold: 1, min: 0, max: 2 }, thresholds: {}, validationCount: 10,
    },
  };
}

/** The model's 32-px view of a surface: its top-left corner, clipped to the model's [-1, 1]. */
function crop(img: { width: number; data: ArrayLike<number> }): LabelledImage['image'] {
  return { width: SIZE, height: SIZE, channels: 1, data: Float32Array.from({ length: SIZE * SIZE }, (_, k) => Math.min(1, img.data[Math.floor(k / SIZE) * img.width + (k % SIZE)] as number)) };
}

describe('evaluateInspection baselines', () => {
  beforeAll(async () => {
    await selectBackend('wasm', undefined, { threads: 1 });
  });

  const train = stripedSurfaces(21, 30, false);
  const good = stripedSurfaces(22, 12, false);
  const bad = stripedSurfaces(23, 12, true);
  const test: LabelledImage[] = [
    ...good.map((s, i) => ({ image: crop(s), defective: false, defectType: null, mask: null, name: `good/${i}` })),
    ...bad.map((s, i) => ({ image: crop(s), defective: true, defectType: 'spot', mask: null, name: `spot/${i}` })),
  ];

  it("lists 'patchNN' after the PCA baselines, scored on its own full-size images, with metrics and detection by type", async () => {
    const { report } = await evaluateInspection(model(), test, {
      baselineTrain: train.map(crop).map((i) => i.data), baselineOptions: { pcaComponents: 5, gmmComponents: 1, gmmRestarts: 1 },
      patchBaseline: { train, test: [...good, ...bad] },
    });
    expect(report.baselines!.map((b) => b.name)).toEqual(['gmm', 'ocsvm', 'lof', 'patchNN']);
    const patch = report.baselines![3]!;
    expect(patch.auroc).toBeGreaterThan(0.9);
    expect(patch.detection.spot).toMatchObject({ count: 12 });
    expect(patch.detection.good).toMatchObject({ count: 12 });
    expect(patch.metrics.truePositives + patch.metrics.falseNegatives).toBe(12);
  });

  it("runs 'patchNN' alone when only its images are given, none when neither is, and refuses a test list of another length", async () => {
    const alone = await evaluateInspection(model(), test, { patchBaseline: { train, test: [...good, ...bad] } });
    expect(alone.report.baselines!.map((b) => b.name)).toEqual(['patchNN']);
    expect((await evaluateInspection(model(), test)).report.baselines).toBeNull();
    await expect(evaluateInspection(model(), test, { patchBaseline: { train, test: good } })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
