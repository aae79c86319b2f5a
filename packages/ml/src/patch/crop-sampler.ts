// Random square crops of qualified images, the training data of a patch model: every position
// of every image can be drawn, with flips where the product allows them. Seeded per step, so a
// resumed run draws the same crops as an uninterrupted one.
import { createRng, type Rng } from '../analysis/random';
import { mixSeed } from '../dcgan/seeded-random';
import { PipelineError } from '../pipeline/pipeline-error';
import type { PipelineImage } from '../pipeline/measure-images';

export interface CropOptions {
  patch: number;
  /** Mirror crops left-right and top-bottom at random (surfaces without a fixed orientation). */
  flips: boolean;
}

/** Checks every image can hold one crop; throws PipelineError BAD_INPUT naming the first that cannot. */
export function checkCroppable(images: PipelineImage[], patch: number): void {
  if (images.length === 0) throw new PipelineError('BAD_INPUT', 'no images given.');
  images.forEach((img, i) => {
    if (img.width < patch || img.height < patch) {
      throw new PipelineError('BAD_INPUT', `image ${i} is ${img.width}x${img.height} at the working scale, smaller than the ${patch}-px patch; choose a larger scale or a smaller patch.`);
    }
  });
}

/** One crop of `img` at (x0, y0), optionally mirrored, written HWC into `out` at `offset`. */
export function writeCrop(img: PipelineImage, x0: number, y0: number, patch: number, flipX: boolean, flipY: boolean, out: Float32Array, offset: number): void {
  const c = img.channels;
  for (let y = 0; y < patch; y++) {
    const sy = y0 + (flipY ? patch - 1 - y : y);
    for (let x = 0; x < patch; x++) {
      const sx = x0 + (flipX ? patch - 1 - x : x);
      const src = (sy * img.width + sx) * c;
      const dst = offset + (y * patch + x) * c;
      for (let k = 0; k < c; k++) out[dst + k] = img.data[src + k]!;
    }
  }
}

/** `count` random crops [count, patch, patch, C] drawn with `rng` (image, position, flips). */
export function sampleCrops(images: PipelineImage[], count: number, o: CropOptions, rng: Rng): Float32Array {
  const c = images[0]!.channels;
  const size = o.patch * o.patch * c;
  const out = new Float32Array(count * size);
  for (let i = 0; i < count; i++) {
    const img = images[rng.int(images.length)]!;
    const x0 = rng.int(img.width - o.patch + 1);
    const y0 = rng.int(img.height - o.patch + 1);
    writeCrop(img, x0, y0, o.patch, o.flips && rng.next() < 0.5, o.flips && rng.next() < 0.5, out, i * size);
  }
  return out;
}

/** The crops of one training step: the same (seed, step) always gives the same crops. */
export function stepCrops(images: PipelineImage[], count: number, o: CropOptions, seed: number, step: number, stream = 0): Float32Array {
  return sampleCrops(images, count, o, createRng(mixSeed(seed, step, stream, 0xc20b)));
}
