// Pure numeric analysis: no TensorFlow.js here, so it runs anywhere and fast. The rest of the
// package imports numeric analysis through this file.
export type { Vectors } from './analysis/matrix';
export { cholesky, solve } from './analysis/matrix-functions';
export { covarianceMatrix, fitGaussian, createMahalanobis, type Gaussian } from './analysis/gaussian';
export { frechetDistance, frechetDistanceToPoint } from './analysis/frechet-distance';
export {
  calibrateThreshold,
  f1OptimalThreshold,
  fitScoreNormalisation,
  normaliseScore,
  judgeScore,
  type ScoreNormalisation,
  type Verdict,
} from './analysis/threshold';
export { fitScoreStatistics, combineScores, type ScoreStatistics } from './analysis/combined-score';
export { auroc, pixelAuroc } from './analysis/roc';
export {
  classificationMetrics,
  predictAnomalous,
  detectionRateByType,
  type ClassificationMetrics,
  type DetectionRate,
} from './analysis/classification-metrics';
export { createRng, type Rng } from './analysis/random';
export { runBaselines, runPatchNearestNeighbour, type BaselineOptions } from './analysis/run-baselines';
export { type PatchImage } from './analysis/patch-nearest-neighbour';
export { fitPca, pcaTransform, type PcaModel } from './analysis/pca';
export { GaussianMixtureDetector, type GaussianMixtureState } from './analysis/gaussian-mixture';
export { tsne, type TsneOptions } from './analysis/tsne';
export { interpolateLatents } from './analysis/interpolate-latents';
