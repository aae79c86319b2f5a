// Latent interpolation strips on the shared synthetic solar model (ADR 0053's fixture, trained
// once per run): the strip's ends are exactly what inspection reconstructs, the frames move
// steadily from one end to the other, and a patch model interpolates its images' centre crops.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { sharedSyntheticInspection } from '../testing/shared-synthetic-inspection';
import { buildEncoder, disposeEncoder } from './encoder';
import type { InspectionModel } from './inspection-model';
import { inspectImages } from './inspect-images';
import { interpolateBetweenImages } from './latent-interpolation';
import type { PipelineImage } from './measure-images';
import { syntheticTextures } from './synthetic-textures';

let model: InspectionModel;
let images: PipelineImage[];

const l1 = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;
/** Mean L1 of every frame to the first and to the last frame. */
const distances = (frames: PipelineImage[]) => ({
  fromStart: frames.map((f) => l1(f.data, frames[0]!.data)),
  toEnd: frames.map((f) => l1(f.data, frames.at(-1)!.data)),
});

beforeAll(async () => {
  await selectBackend('wasm', undefined, { threads: 2 });
  ({ model } = await sharedSyntheticInspection('solar'));
  images = syntheticTextures('solar', 24, { size: 32, seed: 99 }).map((t) => t.image);
}, 900_000);

describe('interpolateBetweenImages', () => {
  it("starts and ends the strip with inspection's own reconstructions of the two images", async () => {
    const [a, b] = [images[0]!, images[1]!];
    const strip = await interpolateBetweenImages(model, a, b, { steps: 5 });
    const inspected = await inspectImages(model, [a, b], { keepReconstructions: true });
    expect(strip.frames).toHaveLength(5);
    expect(strip.path).toBe('spherical');
    expect(strip.crops).toBeNull();
    expect(strip.ends).toEqual([a, b]);
    expect(Array.from(strip.latents[0])).toEqual(Array.from(inspected.measurements.latents[0]!));
    expect(l1(strip.frames[0]!.data, inspected.measurements.reconstructions![0]!)).toBeLessThan(1e-5);
    expect(l1(strip.frames[4]!.data, inspected.measurements.reconstructions![1]!)).toBeLessThan(1e-5);
    expect(strip.endLosses[0]).toBeCloseTo(inspected.images[0]!.scores.reconstruction, 6);
  });

  it('moves steadily away from the first image and towards the second on the spherical path', async () => {
    // Measured on 12 pairs of these images (ADR 0061): spherical frames were monotone in all 12,
    // linear ones in 9; on pair 4 the straight line turns back towards the start (by 0.004).
    for (const p of [4, 7]) {
      const strip = await interpolateBetweenImages(model, images[2 * p]!, images[2 * p + 1]!, { steps: 9 });
      const d = distances(strip.frames);
      for (let k = 1; k < 9; k++) {
        expect(d.fromStart[k]!, `pair ${p} frame ${k}`).toBeGreaterThanOrEqual(d.fromStart[k - 1]! - 1e-3);
        expect(d.toEnd[k]!, `pair ${p} frame ${k}`).toBeLessThanOrEqual(d.toEnd[k - 1]! + 1e-3);
      }
      expect(d.fromStart[8]!).toBeGreaterThan(0.005);
    }
  });

  it('inverts the centre crop of each image for a patch model, and leaves no tensors behind', async () => {
    const encoder = buildEncoder(model.dcgan.config, 1);
    const patchModel: InspectionModel = { ...model, encoder, patch: { scale: 1, patch: 32, stride: 16, flips: false, defectMap: null } };
    const big = syntheticTextures('solar', 2, { size: 48, seed: 5 }).map((t) => t.image);
    const before = tf.memory().numTensors;
    const strip = await interpolateBetweenImages(patchModel, big[0]!, big[1]!, { steps: 3, path: 'linear' });
    expect(tf.memory().numTensors).toBe(before);
    disposeEncoder(encoder);
    expect(strip.crops).toEqual([{ x: 8, y: 8, side: 32 }, { x: 8, y: 8, side: 32 }]);
    // The end shown is exactly the window of the image at (8, 8).
    expect(strip.ends[0].data[0]).toBe(big[0]!.data[8 * 48 + 8]);
    expect(strip.ends[0].data[31 * 32 + 31]).toBe(big[0]!.data[39 * 48 + 39]);
    expect(strip.frames.map((f) => [f.width, f.height])).toEqual([[32, 32], [32, 32], [32, 32]]);
    await expect(interpolateBetweenImages(patchModel, syntheticTextures('solar', 1, { size: 24, seed: 1 })[0]!.image, big[1]!, { steps: 3 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('refuses steps outside 3..64 with BAD_INPUT', async () => {
    for (const steps of [2, 65, 4.5]) await expect(interpolateBetweenImages(model, images[0]!, images[1]!, { steps })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
