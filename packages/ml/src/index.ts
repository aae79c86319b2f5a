// Public surface of the ML core. Numeric analysis (statistics, metrics, baselines, t-SNE)
// lives in ./analysis; the TensorFlow.js parts (backend, kernels, DCGAN, inversion) beside it.
export * from './analysis';
