// measureImages' live-progress pass-through (what the worker's inspectionProgress events are
// made of): per-iteration losses per image, G(z) previews at an interval, the same results as
// without it, and no tensors left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { buildDcgan, disposeDcgan, type Dcgan } from '../dcgan/dcgan-model';
import { DEFAULT_SCORING } from './inspection-model';
import { measureImages, type PipelineImage } from './measure-images';

const flat = (size: number, v: number): PipelineImage => ({ width: size, height: size, channels: 1, data: new Float32Array(size * size).fill(v) });
let dcgan: Dcgan;

beforeAll(async () => {
  await selectBackend('wasm', undefined, { threads: 2 });
  dcgan = buildDcgan({ size: 16, nf: 4, zdim: 8, channels: 1 }, 3);
});

afterAll(() => disposeDcgan(dcgan));

describe('measureImages inversion progress', () => {
  it('hands each batch its per-image losses every iteration and G(z) at the interval, without changing results', async () => {
    const images = [flat(16, 0.3), flat(16, -0.4), flat(16, 0.1)];
    // Batches of 2: the third image is its own batch, reported from index 2.
    const o = { ...DEFAULT_SCORING, iterations: 6, restarts: 1, batchSize: 2 };
    const plain = await measureImages(dcgan, null, images, o);
    const before = tf.memory().numTensors;
    const seen: { batchStart: number; iteration: number; losses: number[]; previewShape: number[] | null; previewPixels: number[] | null }[] = [];
    const watched = await measureImages(dcgan, null, images, o, {
      reconstructionEvery: 3,
      onInversionProgress: (batchStart, p) => {
        seen.push({
          batchStart, iteration: p.iteration, losses: Array.from(p.losses),
          previewShape: p.reconstruction ? p.reconstruction.shape : null,
          previewPixels: p.reconstruction ? Array.from(p.reconstruction.dataSync().slice(0, 4)) : null,
        });
      },
    });
    expect(tf.memory().numTensors).toBe(before); // previews disposed after the callback

    expect(seen.map((s) => [s.batchStart, s.iteration])).toEqual([
      [0, 1], [0, 2], [0, 3], [0, 4], [0, 5], [0, 6], [2, 1], [2, 2], [2, 3], [2, 4], [2, 5], [2, 6],
    ]);
    expect(seen.filter((s) => s.batchStart === 0).every((s) => s.losses.length === 2)).toBe(true);
    expect(seen.filter((s) => s.batchStart === 2).every((s) => s.losses.length === 1)).toBe(true);
    for (const s of seen) for (const l of s.losses) expect(Number.isFinite(l) && l > 0).toBe(true);
    // Previews only at iterations 3 and 6, one 16x16x1 image per image of the batch, in [-1, 1].
    expect(seen.filter((s) => s.previewShape).map((s) => [s.batchStart, s.iteration, ...s.previewShape!])).toEqual([
      [0, 3, 2, 16, 16, 1], [0, 6, 2, 16, 16, 1], [2, 3, 1, 16, 16, 1], [2, 6, 1, 16, 16, 1],
    ]);
    for (const s of seen) for (const v of s.previewPixels ?? []) expect(Math.abs(v)).toBeLessThanOrEqual(1);

    // Watching does not change the inversion: same latents and losses as without it.
    expect(watched.scores.map((s) => s.reconstruction)).toEqual(plain.scores.map((s) => s.reconstruction));
    expect(watched.latents).toEqual(plain.latents);
  });
});
