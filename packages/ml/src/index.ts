// Public surface of the ML core. Numeric analysis (statistics, metrics, baselines, t-SNE)
// lives in ./analysis; the TensorFlow.js parts (backend, kernels, DCGAN, inversion) beside it.
export * from './analysis';
export * from './backend/select-backend';
export { registerMissingKernels } from './kernels/register-wasm-kernels';
export { configureKernels, kernelSettings, type KernelSettings } from './kernels/kernel-settings';
export { conv2dBackpropFilterViaConv } from './kernels/conv2d-backprop-filter';
export { conv2dBackpropInputViaConv } from './kernels/conv2d-backprop-input';
export * from './dcgan/dcgan-model';
export {
  generatorForward, discriminatorForward, freezeGenerator, frozenGeneratorForward, disposeFrozenGenerator,
  type FrozenGenerator, type StatUpdates,
} from './dcgan/forward';
export { Adam, type AdamOptions, type AdamState } from './dcgan/adam';
export { createTrainer, disposeTrainer, trainStep, type GanTrainer, type StepMetrics } from './dcgan/train-step';
export * from './dcgan/train-gan';
export * from './dcgan/checkpoint';
export { tileImages, sampleGrid } from './dcgan/sample-grid';
export { seededLatents } from './dcgan/seeded-random';
export * from './inversion/reconstruction-loss';
export * from './inversion/invert-latents';
export * from './bench/run-benchmark';
export * from './pipeline';
export * from './patch';
