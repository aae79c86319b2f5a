// The inspection pipeline: artifacts, scoring, calibration and evaluation over the GAN core.
export { PipelineError, isPipelineError, type PipelineErrorCode } from './pipeline-error';
export { encodeTensorBundle, decodeTensorBundle, type BundleEntry } from './tensor-bundle';
export * from './inspection-model';
export * from './model-artifacts';
export * from './encoder';
export { discriminatorFeatures, featureResidual } from './discriminator-features';
export { channelMeanMap, gaussianBlur, topKMean, maxValue } from './residual-map';
export { invertFrom, type InvertFromResult } from './invert-from';
export * from './measure-images';
export * from './latent-reference';
export * from './calibrate-inspection';
export * from './inspect-images';
export * from './train-encoder';
export * from './finish-inspection-model';
export * from './synthetic-textures';
export * from './evaluate-inspection';
export * from './generator-check';
export * from './scatter-plot';
