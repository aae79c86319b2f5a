// Recalibration of a saved model's verdict threshold on a labelled set: the rule on generated
// scores and the one-write save that leaves the model as it was on any error. A model trained on
// synthetic textures whose F1 on a held-out split does not drop: recalibrate-threshold.slow.test.ts.
import { describe, expect, it } from 'vitest';
import { classificationMetrics, createRng, f1OptimalThreshold, normaliseScore } from '../analysis';
import { allVariables, buildDcgan } from '../dcgan/dcgan-model';
import { thresholdSettingOf, type Calibration, type InspectionModel } from './inspection-model';
import { loadInspectionModel, memoryArtifactIO, MODEL_FILES, replaceModelCalibration, saveInspectionModel } from './model-artifacts';
import { isPipelineError } from './pipeline-error';
import { calibrationWithThreshold, MIN_LABELLED_PER_CLASS, recalibrateThreshold } from './recalibrate-threshold';

/** A calibration as training leaves it (false-alarm rule on 40 validation images), with a local density. */
function trainedCalibration(): Calibration {
  return {
    scoring: { iterations: 0, lr: 0.05, optimizer: 'adam', loss: 'lap1', levels: 2, restarts: 1, seed: 0, useEncoder: false, batchSize: 8, residualBlur: 1, topKFraction: 0.02 },
    latentMean: [0, 0], latentCovariance: [1, 0, 0, 1], residualPixelMean: [0], residualPixelStd: [1],
    scoreStatistics: { featureDensity: { mean: 0, std: 1 } },
    localFeatureDensity: {
      grid: 1, featureChannels: 2, channels: [0, 1], shrinkage: 0.01, mean: Float32Array.from([0.5, -0.5]), factor: Float32Array.from([1, 0.25, 2]),
    },
    combineKinds: ['featureDensity'], falseAlarmRate: 0.05,
    normalisation: { threshold: 1.6, min: -2, max: 2 }, thresholds: { combined: 1.6 }, validationCount: 40,
  };
}

/** Qualified scores ~ N(0, 1), defective ~ N(2, 1): the classes overlap. */
function labelledScores(seed: number, qualified: number, defective: number): { scores: number[]; labels: boolean[] } {
  const rng = createRng(seed);
  const labels = [...Array<boolean>(qualified).fill(false), ...Array<boolean>(defective).fill(true)];
  return { scores: labels.map((d) => rng.normal() + (d ? 2 : 0)), labels };
}

describe('calibrationWithThreshold', () => {
  it('f1: puts the F1-optimal cut of the labelled scores at normalised 0.5 and changes nothing else', () => {
    const c = trainedCalibration();
    const { scores, labels } = labelledScores(1, 60, 40);
    const next = calibrationWithThreshold(c, scores, labels, 'f1');
    const best = f1OptimalThreshold(scores, labels);
    expect(next.normalisation.threshold).toBe(best.threshold);
    expect(next.thresholdSetting).toEqual({ rule: 'f1', from: 'labelled', qualified: 60, defective: 40, f1: best.f1 });
    const { normalisation, thresholdSetting, ...rest } = next;
    const { normalisation: _n, ...before } = c;
    expect(rest).toEqual(before);
    // Verdicts on the set reach that F1, and "normalised > 0.5" is the same verdict, in [0, 1].
    const flagged = scores.map((s) => normaliseScore(s, normalisation) > 0.5);
    expect(classificationMetrics(labels, flagged).f1).toBeCloseTo(best.f1, 12);
    for (const s of scores) {
      const v = normaliseScore(s, normalisation);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(normaliseScore(Math.max(...scores), normalisation)).toBe(1);
    expect(normaliseScore(Math.min(...scores), normalisation)).toBeLessThan(0.5);
    // On overlapping classes the F1 rule flags more than the 5% false-alarm threshold at 1.6.
    expect(next.normalisation.threshold).toBeLessThan(c.normalisation.threshold);
    expect(thresholdSetting!.f1).toBeGreaterThan(classificationMetrics(labels, scores.map((s) => s > 1.6)).f1);
  });

  it('false-alarm: the quantile of the labelled qualified scores only', () => {
    const c = trainedCalibration();
    const { scores, labels } = labelledScores(2, 200, 20);
    const next = calibrationWithThreshold(c, scores, labels, 'false-alarm', 0.1);
    const qualifiedFlagged = scores.filter((s, i) => !labels[i] && s > next.normalisation.threshold).length;
    expect(qualifiedFlagged).toBe(20);
    expect(next.thresholdSetting).toMatchObject({ rule: 'false-alarm', from: 'labelled', qualified: 200, defective: 20, falseAlarmRate: 0.1 });
    // Defects' scores do not move the cut: doubling them leaves it where it was.
    const louder = calibrationWithThreshold(c, scores.map((s, i) => (labels[i] ? s * 2 : s)), labels, 'false-alarm', 0.1);
    expect(louder.normalisation.threshold).toBe(next.normalisation.threshold);
  });

  it('refuses too few images of a class with BAD_INPUT, naming the counts', () => {
    const c = trainedCalibration();
    const few = labelledScores(3, 50, MIN_LABELLED_PER_CLASS - 1);
    const err = (() => { try { calibrationWithThreshold(c, few.scores, few.labels, 'f1'); } catch (e) { return e; } return null; })();
    expect(isPipelineError(err, 'BAD_INPUT')).toBe(true);
    expect((err as Error).message).toMatch(/50 qualified and 7 defective.*false-alarm rule/);
    // The false-alarm rule needs qualified images only.
    expect(calibrationWithThreshold(c, few.scores, few.labels, 'false-alarm').thresholdSetting?.rule).toBe('false-alarm');
    const onlyDefects = labelledScores(4, 0, 30);
    for (const rule of ['f1', 'false-alarm'] as const) {
      expect(() => calibrationWithThreshold(c, onlyDefects.scores, onlyDefects.labels, rule)).toThrow(/0 qualified and 30 defective/);
    }
    expect(() => calibrationWithThreshold(c, [1, 2], [false, true], 'f1')).toThrow(/at least 8/);
    expect(() => calibrationWithThreshold(c, few.scores, few.labels, 'false-alarm', 1)).toThrow(/\[0, 1\)/);
    expect(() => calibrationWithThreshold(c, few.scores, few.labels, 'median' as never)).toThrow(/unknown threshold rule/);
  });

  it('reads models saved without a setting as the false-alarm rule on their validation images', async () => {
    const { thresholdSetting: _s, ...old } = trainedCalibration();
    expect(thresholdSettingOf(old)).toEqual({ rule: 'false-alarm', from: 'validation', qualified: 40, defective: 0, falseAlarmRate: 0.05 });
    // Saved and loaded as such, the calibration comes back as it was, without a setting.
    const io = memoryArtifactIO();
    await saveInspectionModel(io, { dcgan: buildDcgan({ size: 32, nf: 4, zdim: 4, channels: 1 }, 0), encoder: null, calibration: old, hyper: {} });
    const loaded = await loadInspectionModel(io);
    expect(loaded.calibration).toEqual(old);
    expect(loaded.calibration!.thresholdSetting).toBeUndefined();
  });

  it('refuses an uncalibrated model with NOT_CALIBRATED before scoring anything', async () => {
    const model = { dcgan: buildDcgan({ size: 32, nf: 4, zdim: 4, channels: 1 }, 0), encoder: null, calibration: null, hyper: {} };
    await expect(recalibrateThreshold(model, [], { rule: 'f1' })).rejects.toMatchObject({ code: 'NOT_CALIBRATED' });
  });
});

describe('replaceModelCalibration', () => {
  async function savedModel(): Promise<{ io: ReturnType<typeof memoryArtifactIO>; model: InspectionModel; writes: string[] }> {
    const io = memoryArtifactIO();
    const model = { dcgan: buildDcgan({ size: 32, nf: 4, zdim: 4, channels: 1 }, 0), encoder: null, calibration: trainedCalibration(), hyper: { note: 'x' } };
    await saveInspectionModel(io, model);
    const writes: string[] = [];
    const write = io.write;
    io.write = (name, bytes) => { writes.push(name); return write(name, bytes); };
    return { io, model, writes };
  }

  it('rewrites the manifest only; the model loads with the new threshold and the same weights', async () => {
    const { io, model, writes } = await savedModel();
    const data = io.store.get(MODEL_FILES.data)!.slice();
    const { scores, labels } = labelledScores(5, 30, 30);
    const next = calibrationWithThreshold(model.calibration!, scores, labels, 'f1');
    await replaceModelCalibration(io, next);
    expect(writes).toEqual([MODEL_FILES.manifest]);
    expect(io.store.get(MODEL_FILES.data)).toEqual(data);
    const loaded = await loadInspectionModel(io);
    expect(loaded.calibration).toEqual(next);
    expect(loaded.hyper).toEqual({ note: 'x' });
    const weights = (m: InspectionModel) => allVariables(m.dcgan).map((v) => Array.from(v.dataSync()));
    expect(weights(loaded)).toEqual(weights(model));
  });

  it('writes nothing when the new calibration carries other density tensors', async () => {
    const { io, model, writes } = await savedModel();
    const before = new Map([...io.store].map(([k, v]) => [k, v.slice()]));
    const local = model.calibration!.localFeatureDensity!;
    const changed = { ...model.calibration!, localFeatureDensity: { ...local, mean: Float32Array.from([0.5, 0.75]) } };
    await expect(replaceModelCalibration(io, changed)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    const { localFeatureDensity: _l, ...without } = model.calibration!;
    await expect(replaceModelCalibration(io, without)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(writes).toEqual([]);
    expect(io.store).toEqual(before);
  });
});
