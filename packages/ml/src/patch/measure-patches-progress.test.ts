// A patch inspection's live view (what the worker's inspection.progress events are made of):
// with inversion iterations, one report per iteration; at the patch default of none (the
// encoder's guess alone), one report of that guess, so a watcher still sees the image's loss
// and its reconstruction before the verdict instead of nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { buildDcgan, disposeDcgan, type Dcgan } from '../dcgan/dcgan-model';
import { disposeFrozenGenerator, freezeGenerator, type FrozenGenerator } from '../dcgan/forward';
import { buildEncoder, disposeEncoder, type EncoderWeights } from '../pipeline/encoder';
import { measurePatchImage, type PatchParts, type PatchScoringOptions } from './measure-patches';

let dcgan: Dcgan;
let generator: FrozenGenerator;
let encoder: EncoderWeights;
let parts: PatchParts;
// 40 x 24: tiles of 16 at stride 8 (4 x 2 of them), not a square, so the preview's shape shows.
const image = { width: 40, height: 24, channels: 1, data: Float32Array.from({ length: 40 * 24 }, (_, i) => Math.sin(i / 7) * 0.5) };
const scoring = (iterations: number): PatchScoringOptions => ({ stride: 8, iterations, lr: 0.05, loss: 'lap1', levels: 2, mapBlur: 1, topKFraction: 0.01 });

beforeAll(async () => {
  await selectBackend('wasm', undefined, { threads: 2 });
  dcgan = buildDcgan({ size: 16, nf: 4, zdim: 8, channels: 1 }, 3);
  generator = freezeGenerator(dcgan.generator);
  encoder = buildEncoder(dcgan.config, 1);
  parts = { generator, encoder, defectMap: null, defectMapFlips: false, patch: 16, zdim: 8 };
});

afterAll(() => {
  disposeFrozenGenerator(generator);
  disposeEncoder(encoder);
  disposeDcgan(dcgan);
});

describe('a patch inspection watched live', () => {
  it('reports each inversion iteration with the loss over the image\'s tiles', async () => {
    const seen: { iteration: number; loss: number; preview: number[] | null }[] = [];
    await measurePatchImage(parts, image, scoring(3), {
      reconstructionEvery: 3,
      onIteration: (p) => { seen.push({ iteration: p.iteration, loss: p.loss, preview: p.reconstruction ? [p.reconstruction.length] : null }); },
    });
    expect(seen.map((s) => s.iteration)).toEqual([1, 2, 3]);
    expect(seen.map((s) => s.preview)).toEqual([null, null, [40 * 24]]);
  });

  it('with no iterations, reports the encoder\'s guess once: its loss and the whole image it reconstructs', async () => {
    const before = tf.memory().numTensors;
    const seen: { iteration: number; loss: number; preview: Float32Array | null }[] = [];
    const watched = await measurePatchImage(parts, image, scoring(0), {
      reconstructionEvery: 1,
      onIteration: (p) => { seen.push({ iteration: p.iteration, loss: p.loss, preview: p.reconstruction }); },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(seen.map((s) => s.iteration)).toEqual([0]);
    expect(Number.isFinite(seen[0]!.loss) && seen[0]!.loss > 0).toBe(true);
    // The preview is the reconstruction the verdict is made from, at the image's resolution.
    expect(Array.from(seen[0]!.preview!)).toEqual(Array.from(watched.reconstruction));
    // Watching changes nothing.
    const plain = await measurePatchImage(parts, image, scoring(0));
    expect(watched.scores).toEqual(plain.scores);
  });
});
