// The defect map averaged over the image's four mirrorings (PatchSpec.defectMapFlips): the
// averaged map of a mirrored image is the mirrored map (a map read once is not), inspection
// uses it only on models that say so (older models keep the reading they were calibrated
// with), and the setting survives saving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { buildDcgan, disposeDcgan, type Dcgan } from '../dcgan/dcgan-model';
import { disposeFrozenGenerator, freezeGenerator, type FrozenGenerator } from '../dcgan/forward';
import { buildEncoder, type EncoderWeights } from '../pipeline/encoder';
import { loadInspectionModel, memoryArtifactIO, saveInspectionModel } from '../pipeline/model-artifacts';
import { gaussianBlur } from '../pipeline/residual-map';
import { buildDefectMapNet, defectMapProbabilities, type DefectMapNet } from './defect-map-net';
import { defectMapOverFlips, measurePatchImage, type PatchParts, type PatchScoringOptions } from './measure-patches';

let dcgan: Dcgan;
let generator: FrozenGenerator;
let encoder: EncoderWeights;
let net: DefectMapNet;
const W = 40;
const H = 24;
// Not symmetric either way, so a mirror is a different image.
const image = { width: W, height: H, channels: 1, data: Float32Array.from({ length: W * H }, (_, i) => Math.sin((i % W) / 5 + Math.floor(i / W) / 3) * 0.6 + ((i % W) > 28 ? 0.3 : 0)) };
const scoring: PatchScoringOptions = { stride: 8, iterations: 0, lr: 0.05, loss: 'lap1', levels: 2, mapBlur: 1, topKFraction: 0.01 };
const parts = (defectMapFlips: boolean): PatchParts => ({ generator, encoder, defectMap: net, defectMapFlips, patch: 16, zdim: 8 });
// Width is axis 2 of both the input [1, H, W, C] and the map [1, H, W].
const mirrorLeftRight = (t: tf.Tensor) => tf.reverse(t, 2);

beforeAll(async () => {
  await selectBackend('wasm', undefined, { threads: 2 });
  dcgan = buildDcgan({ size: 16, nf: 4, zdim: 8, channels: 1 }, 3);
  generator = freezeGenerator(dcgan.generator);
  encoder = buildEncoder(dcgan.config, 1);
  net = buildDefectMapNet({ inputChannels: 2, nf: 4 }, 5);
});

afterAll(() => {
  disposeFrozenGenerator(generator);
  disposeDcgan(dcgan); // the encoder and net are small and die with the backend
});

describe('the defect map over flips', () => {
  it('gives a mirrored input the mirrored map; a single reading does not', async () => {
    const x = tf.randomUniform([1, H, W, 2], -1, 1, 'float32', 11) as tf.Tensor4D;
    const mx = mirrorLeftRight(x) as tf.Tensor4D;
    const gap = async (f: (t: tf.Tensor4D) => tf.Tensor3D) => {
      const a = f(mx);
      const b = mirrorLeftRight(f(x));
      const d = (await tf.max(tf.abs(tf.sub(a, b))).data())[0]!;
      tf.dispose([a, b]);
      return d;
    };
    expect(await gap((t) => defectMapOverFlips(net, t))).toBeLessThan(1e-5);
    expect(await gap((t) => defectMapProbabilities(net, t))).toBeGreaterThan(1e-3);
    tf.dispose([x, mx]);
  });

  it('is used by inspection only where the model asks for it', async () => {
    const once = await measurePatchImage(parts(false), image, scoring);
    const flipped = await measurePatchImage(parts(true), image, scoring);
    // The reconstruction is the same; only the map's reading differs.
    expect(Array.from(flipped.reconstruction)).toEqual(Array.from(once.reconstruction));
    expect(flipped.scores.defectMapMax).not.toBeCloseTo(once.scores.defectMapMax, 4);
    // Read once, the map is the network's single answer on (image, reconstruction).
    const input = tf.concat([tf.tensor4d(image.data, [1, H, W, 1]), tf.tensor4d(once.reconstruction, [1, H, W, 1])], 3);
    const single = defectMapProbabilities(net, input);
    const raw = (await single.data()) as Float32Array;
    tf.dispose([input, single]);
    expect(Array.from(once.defectMap!)).toEqual(Array.from(gaussianBlur(raw, H, W, scoring.mapBlur)));
  });

  it('is kept by a saved model, and a model saved without it reads the map once', async () => {
    for (const flag of [true, undefined]) {
      const io = memoryArtifactIO();
      const model = {
        dcgan: buildDcgan({ size: 32, nf: 4, zdim: 8, channels: 1 }, 2), encoder: buildEncoder({ size: 32, nf: 4, zdim: 8, channels: 1 }, 2), calibration: null, hyper: {},
        patch: { scale: 1, patch: 32 as const, stride: 8, flips: true, defectMap: buildDefectMapNet({ inputChannels: 2, nf: 4 }, 1), ...(flag ? { defectMapFlips: flag } : {}) },
      };
      await saveInspectionModel(io, model);
      const loaded = await loadInspectionModel(io);
      expect(loaded.patch!.defectMapFlips === true).toBe(flag === true);
      disposeDcgan(model.dcgan);
      disposeDcgan(loaded.dcgan);
    }
  });
});
