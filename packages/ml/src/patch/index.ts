// Patch models (docs/adr/0034): the GAN on tiles of images kept at a working scale, a learned
// defect map beside the inversion's residual, scores as robust maxima of full-resolution maps.
export { PATCH_SIZES, validatePatchGeometry, minimumImageSide, scaledSize, type PatchGeometry, type PatchSize, type PatchSpec } from './patch-spec';
export { tileGrid, tileOrigins, tileCount, extractTiles, assembleTiles, type TileGrid } from './tile-grid';
export { checkCroppable, sampleCrops, stepCrops, type CropOptions } from './crop-sampler';
export { drawSyntheticDefect, type SyntheticDefect } from './synthetic-defects';
export { buildDefectMapNet, defectMapProbabilities, defectMapVariables, disposeDefectMapNet, type DefectMapConfig, type DefectMapNet } from './defect-map-net';
export { trainDefectMap, syntheticBatch, type TrainDefectMapOptions } from './train-defect-map';
export { measurePatchImage, type PatchMeasurement, type PatchScoringOptions } from './measure-patches';
export { PATCH_SCORE_KINDS, measurePatchImages } from './inspect-patch-images';
export { calibratePatchModel, defaultPatchCombineKinds } from './calibrate-patch-model';
export {
  finishPatchModel, DEFAULT_DEFECT_MAP_TRAINING, DEFAULT_PATCH_SCORING,
  type DefectMapTraining, type FinishPatchOptions,
} from './finish-patch-model';
