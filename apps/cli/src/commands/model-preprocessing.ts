// How a saved model expects its images prepared, so that every command scores images exactly as
// the model saw them in training.
import type { IntensityMode, PreprocessOptions, ResizeMode } from '@gansight/imaging';
import type { InspectionModel } from '@gansight/ml';

/** Size, channels, resize mode and intensity of the model's training images. */
export function modelPreprocessing(model: InspectionModel): { size: PreprocessOptions['size']; channels: 1 | 3; mode: ResizeMode; intensity: IntensityMode } {
  return {
    // A patch model keeps each image's aspect ratio at its working scale.
    size: model.patch ? { scale: model.patch.scale, minSide: model.patch.patch } : model.dcgan.config.size,
    channels: model.dcgan.config.channels as 1 | 3,
    mode: (model.hyper.mode as ResizeMode | undefined) ?? 'resize',
    // Models from before per-image standardisation recorded no intensity: they saw raw pixels.
    intensity: (model.hyper.intensity as IntensityMode | undefined) ?? 'raw',
  };
}
