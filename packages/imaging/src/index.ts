// @gansight/imaging: decode, validate and convert images between files and model tensors.
export { ImageError, isImageError, type ImageErrorCode } from './image-error';
export { decodeImage, inspectImage, DEFAULT_IMAGE_LIMITS, type DecodedImage, type ImageInfo, type ImageLimits } from './decode-image';
export {
  preprocessImage,
  resolveSize,
  scaleDimensions,
  shortSideDimensions,
  bytesToUnitRange,
  unitRangeToBytes,
  standardiseIntensity,
  type FloatImage,
  type IntensityMode,
  type PreprocessOptions,
  type ResizeMode,
} from './preprocess-image';
export { floatImageToPng, heatMapPng, montagePng, type HeatMapOptions, type MontageOptions } from './encode-image';
export { colourAt, type ColourMapName } from './colour-map';
export {
  figurePng, colourBar, titledPng, titleBandHeight, escapeSvgText, formatLabelNumber, COLOUR_BAR_HEIGHT, COLOUR_BAR_STRIP,
  type FigureImage, type FigureRect, type FigureSpec, type FigureText,
} from './figure';
export {
  listFolderDataset,
  loadFolderDataset,
  loadMask,
  mapWithConcurrency,
  type DatasetItem,
  type LoadedItem,
  type SkippedItem,
} from './folder-dataset';
