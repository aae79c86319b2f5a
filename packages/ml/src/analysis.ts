// Pure numeric analysis: no TensorFlow.js here, so it runs anywhere and fast.
// Matrix helpers under explicit names: generic ones (zeros, trace) would collide with tensor code.
export {
  fromRows,
  toRows,
  matMul,
  matVec,
  transpose,
  identity as identityMatrix,
  zeros as zeroMatrix,
  trace as matrixTrace,
  type Matrix,
  type Vectors,
} from './analysis/matrix';
export { eigenSymmetric, type SymmetricEigen } from './analysis/eigen-symmetric';
export {
  sqrtmPsd,
  spectralMap,
  cholesky,
  forwardSubstitute,
  backSubstituteTransposed,
  logDeterminantSpd,
  solve,
  inverse,
} from './analysis/matrix-functions';
export {
  meanVector,
  covarianceMatrix,
  fitGaussian,
  mahalanobisDistance,
  createMahalanobis,
  type Gaussian,
  type CovarianceOptions,
} from './analysis/gaussian';
export { frechetDistance, frechetDistanceToPoint, type GaussianMoments } from './analysis/frechet-distance';
export {
  quantile,
  calibrateThreshold,
  f1OptimalThreshold,
  fitScoreNormalisation,
  normaliseScore,
  judgeScore,
  type ScoreNormalisation,
  type Verdict,
} from './analysis/threshold';
export { fitScoreStatistics, standardiseScore, combineScores, type ScoreStatistics } from './analysis/combined-score';
export { auroc, pixelAuroc, rocCurve, type RocPoint, type Labels } from './analysis/roc';
export {
  classificationMetrics,
  predictAnomalous,
  detectionRateByType,
  type ClassificationMetrics,
  type DetectionRate,
} from './analysis/classification-metrics';
export { createRng, type Rng } from './analysis/random';
export type { AnomalyDetector } from './analysis/anomaly-detector';
export {
  runBaselines, runPatchNearestNeighbour, type BaselineOptions, type BaselineResult, type BaselineTestItem, type PatchBaselineTestItem,
} from './analysis/run-baselines';
export {
  fitPatchNearestNeighbour, scorePatchNearestNeighbour, patchDistances, patchOrigins, standardisedPatches,
  type PatchImage, type PatchNearestNeighbourModel, type PatchNearestNeighbourOptions,
} from './analysis/patch-nearest-neighbour';
export { buildNearestNeighbourIndex, nearestSquaredDistance, type NearestNeighbourIndex, type NearestQuery } from './analysis/nearest-neighbour-index';
export { fitPca, pcaFromCovariance, pcaTransform, pcaInverseTransform, PcaReconstructionDetector, type PcaModel } from './analysis/pca';
export { kMeans, kMeansPlusPlus } from './analysis/k-means';
export { GaussianMixtureDetector, type GaussianMixtureOptions, type GaussianMixtureState } from './analysis/gaussian-mixture';
export { OneClassSvmDetector, scaleGamma, type OneClassSvmOptions } from './analysis/one-class-svm';
export { LocalOutlierFactorDetector } from './analysis/local-outlier-factor';
export { tsne, type TsneOptions } from './analysis/tsne';
export { interpolateLatents } from './analysis/interpolate-latents';
