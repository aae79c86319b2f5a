import { classificationMetrics, detectionRateByType, predictAnomalous, type ClassificationMetrics, type DetectionRate } from './classification-metrics';
import type { AnomalyDetector } from './anomaly-detector';
import { GaussianMixtureDetector } from './gaussian-mixture';
import { LocalOutlierFactorDetector } from './local-outlier-factor';
import type { Vectors } from './matrix';
import { OneClassSvmDetector } from './one-class-svm';
import { fitPatchNearestNeighbour, scorePatchNearestNeighbour, type PatchImage, type PatchNearestNeighbourOptions } from './patch-nearest-neighbour';
import { fitPca, pcaTransform } from './pca';
import { auroc } from './roc';
import { calibrateThreshold } from './threshold';

export interface BaselineTestItem {
  vector: ArrayLike<number>;
  defective: boolean;
  defectType: string | null;
}

export interface BaselineOptions {
  /** PCA components before the detectors (default 50). */
  pcaComponents?: number;
  /** Gaussian mixture components (default 6) and restarts (default 5). */
  gmmComponents?: number;
  gmmRestarts?: number;
  /** Share of training images allowed above the threshold (default 0.05: the 95th percentile). */
  falseAlarmRate?: number;
  seed?: number;
  /** Which baselines to run (default all three). */
  only?: Array<'gmm' | 'ocsvm' | 'lof'>;
}

export interface BaselineResult {
  name: string;
  auroc: number;
  threshold: number;
  metrics: ClassificationMetrics;
  detection: Record<string, DetectionRate>;
  testScores: Float64Array;
  seconds: number;
}

/**
 * The paper's Table III comparison on one split: PCA on the training pixels, then each detector
 * fitted on training (qualified) images only, thresholded at the training scores' (1 - falseAlarmRate)
 * quantile, and evaluated on the labelled test images.
 */
export function runBaselines(train: Vectors, test: BaselineTestItem[], options: BaselineOptions = {}): BaselineResult[] {
  const pca = fitPca(train, options.pcaComponents ?? 50);
  const trainP = pcaTransform(pca, train);
  const testP = pcaTransform(pca, test.map((t) => t.vector));
  const seed = options.seed ?? 0;
  const detectors: Record<'gmm' | 'ocsvm' | 'lof', () => AnomalyDetector> = {
    gmm: () => new GaussianMixtureDetector({ components: options.gmmComponents ?? 6, restarts: options.gmmRestarts ?? 5, seed }),
    ocsvm: () => new OneClassSvmDetector(),
    lof: () => new LocalOutlierFactorDetector(20),
  };
  return (options.only ?? (['gmm', 'ocsvm', 'lof'] as const)).map((name) => {
    const started = performance.now();
    const detector = detectors[name]().fit(trainP);
    return summarise(name, detector.score(trainP), detector.score(testP), test, started, options.falseAlarmRate);
  });
}

/** Thresholds at the training scores' (1 - falseAlarmRate) quantile and measures the test scores against the labels. */
function summarise(
  name: string, trainScores: Float64Array, testScores: Float64Array, test: Array<{ defective: boolean; defectType: string | null }>,
  started: number, falseAlarmRate = 0.05,
): BaselineResult {
  const labels = test.map((t) => t.defective);
  const threshold = calibrateThreshold(trainScores, falseAlarmRate);
  const predictions = predictAnomalous(testScores, threshold);
  return {
    name,
    auroc: auroc(testScores, labels),
    threshold,
    metrics: classificationMetrics(labels, predictions),
    detection: detectionRateByType(test.map((t, i) => ({ defectType: t.defectType, flagged: predictions[i] as boolean }))),
    testScores,
    seconds: (performance.now() - started) / 1000,
  };
}

export interface PatchBaselineTestItem {
  image: PatchImage;
  defective: boolean;
  defectType: string | null;
}

/**
 * The patch nearest-neighbour baseline ('patchNN') on one split, measured as the others: images
 * of any size (the README's recipe reads them at a short side of 128 px), training scores left
 * one image out, threshold at their (1 - falseAlarmRate) quantile.
 */
export function runPatchNearestNeighbour(
  train: PatchImage[], test: PatchBaselineTestItem[], options: PatchNearestNeighbourOptions & { falseAlarmRate?: number } = {},
): BaselineResult {
  const started = performance.now();
  const model = fitPatchNearestNeighbour(train, options);
  return summarise('patchNN', model.trainScores, scorePatchNearestNeighbour(model, test.map((t) => t.image)), test, started, options.falseAlarmRate);
}
