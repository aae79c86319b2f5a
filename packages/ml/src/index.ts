// Public surface of the ML core: what the CLI, the worker and the tests import. Add a name here
// when an app needs it; knip (npm test) reports one that nobody outside the package imports.
// Inside the package, modules import each other directly (numeric analysis through ./analysis).
export { GaussianMixtureDetector } from './analysis/gaussian-mixture';
export { fitPca, pcaInverseTransform, pcaTransform } from './analysis/pca';
export { createRng } from './analysis/random';
export { auroc } from './analysis/roc';
export { type BaselineOptions } from './analysis/run-baselines';
export { judgeScore, type ScoreNormalisation } from './analysis/threshold';
export { selectBackend, type BackendPreference } from './backend/select-backend';
export { parseBenchmarkArgs, runBenchmark } from './bench/run-benchmark';
export { loadModelWeights, type GanCheckpoint } from './dcgan/checkpoint';
export { allVariables, buildDcgan, disposeDcgan, type Dcgan } from './dcgan/dcgan-model';
export { trainGan, type TrainGanOptions, type TrainProgress, type TrainingData } from './dcgan/train-gan';
export { type InversionProgress } from './inversion/invert-latents';
export { MIN_CALIBRATION_IMAGES } from './pipeline/calibrate-inspection';
export { discriminatorFeatures } from './pipeline/discriminator-features';
export { encoderForward, encoderVariables } from './pipeline/encoder';
export { evaluateInspection, type EvaluationReport, type LabelledImage } from './pipeline/evaluate-inspection';
export { finishInspectionModel } from './pipeline/finish-inspection-model';
export { checkGenerator, interpolationImages } from './pipeline/generator-check';
export { inspectImages, type LotInspection } from './pipeline/inspect-images';
export { DEFAULT_SCORING, SCORE_KINDS, calibrationShortfall, type Calibration, type InspectionModel, type RawScoreKind, type ThresholdSetting } from './pipeline/inspection-model';
export { interpolateBetweenImages, type LatentInterpolation } from './pipeline/latent-interpolation';
export { calibrationGaussian, lotFrechetDistance } from './pipeline/latent-reference';
export { measureImages } from './pipeline/measure-images';
export { CHECKPOINT_FILES, MODEL_FILES, loadGanCheckpoint, loadInspectionModel, replaceModelCalibration, saveGanCheckpoint, saveInspectionModel, type ArtifactIO } from './pipeline/model-artifacts';
export { type OnPhaseProgress, type TrainingPhase } from './pipeline/phase-progress';
export { THRESHOLD_RULES, checkLabelledCounts, recalibrateThreshold, type ThresholdOutcome, type ThresholdRule } from './pipeline/recalibrate-threshold';
export { renderScatter } from './pipeline/scatter-plot';
export { syntheticTextures } from './pipeline/synthetic-textures';

export * from './patch';
