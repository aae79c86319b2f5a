// What the research scripts (research/ at the repository root) use beyond the public index:
// internals they measure or retrain one piece of. Imported as `@gansight/ml/research`; the apps
// import `@gansight/ml` only, so this list does not widen the product's surface.
export { runBaselines, runPatchNearestNeighbour } from './analysis/run-baselines';
export { fitPatchNearestNeighbour, scorePatchNearestNeighbour } from './analysis/patch-nearest-neighbour';
export { BN_EPSILON, disposeFrozenGenerator, freezeGenerator, frozenGeneratorForward } from './dcgan/forward';
export { patchScoring } from './patch/inspect-patch-images';
export { defectMapOverFlips } from './patch/measure-patches';
export { gaussianBlur, maxValue, topKMean } from './pipeline/residual-map';
export { pixelAuroc } from './analysis/roc';
export { runSyntheticInspection } from './pipeline/synthetic-inspection';
