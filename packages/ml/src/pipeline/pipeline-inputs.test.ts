// Damaged artifacts and wrong inputs get typed errors, never a silent wrong score; the encoder
// learns and leaks nothing; residual-map summaries respond to a local defect.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { buildDcgan, disposeDcgan, type Dcgan } from '../dcgan/dcgan-model';
import { buildEncoder, disposeEncoder } from './encoder';
import { DEFAULT_SCORING } from './inspection-model';
import { measureImages, type PipelineImage } from './measure-images';
import { loadInspectionModel, memoryArtifactIO, MODEL_FILES, saveInspectionModel } from './model-artifacts';
import { gaussianBlur, highPassResidualMap, maxValue, pixelStatistics, topKMean } from './residual-map';
import { trainEncoder } from './train-encoder';
import { inspectImages } from './inspect-images';
import { isPipelineError } from './pipeline-error';

const flat = (size: number, v = 0): PipelineImage => ({ width: size, height: size, channels: 1, data: new Float32Array(size * size).fill(v) });
let dcgan: Dcgan;

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return isPipelineError(e) ? e.code : `untyped: ${(e as Error).message}`;
  }
  return undefined;
}

describe('pipeline inputs and artifacts', () => {
  beforeAll(async () => {
    await selectBackend('wasm', undefined, { threads: 2 });
    dcgan = buildDcgan({ size: 16, nf: 4, zdim: 8, channels: 1 }, 1);
  });

  it('round-trips a model and rejects truncated, corrupt or mismatched artifacts with BAD_ARTIFACT', async () => {
    const io = memoryArtifactIO();
    await saveInspectionModel(io, { dcgan, encoder: buildEncoder(dcgan.config), calibration: null, hyper: { note: 'x' } });
    const loaded = await loadInspectionModel(io);
    expect(loaded.hyper).toEqual({ note: 'x' });
    expect(await loaded.dcgan.generator.dense.data()).toEqual(await dcgan.generator.dense.data());
    disposeDcgan(loaded.dcgan);
    disposeEncoder(loaded.encoder!);

    const data = io.store.get(MODEL_FILES.data)!;
    const manifest = io.store.get(MODEL_FILES.manifest)!;
    const variant = (m: Uint8Array, d: Uint8Array) => loadInspectionModel(memoryArtifactIO(new Map([[MODEL_FILES.manifest, m], [MODEL_FILES.data, d]])));
    expect(await codeOf(variant(manifest, data.subarray(0, data.length - 8)))).toBe('BAD_ARTIFACT');
    expect(await codeOf(variant(manifest.subarray(0, 50), data))).toBe('BAD_ARTIFACT');
    const nan = data.slice();
    new Float32Array(nan.buffer).fill(NaN, 0, 1);
    expect(await codeOf(variant(manifest, nan))).toBe('BAD_ARTIFACT');
    const bigger = new TextEncoder().encode(new TextDecoder().decode(manifest).replace('"zdim":8', '"zdim":9'));
    expect(await codeOf(variant(bigger, data))).toBe('BAD_ARTIFACT');
    expect(await codeOf(loadInspectionModel(memoryArtifactIO()))).toBe('BAD_ARTIFACT');
  });

  it('rejects wrongly sized, non-finite or wrongly scaled images with BAD_INPUT', async () => {
    const o = { ...DEFAULT_SCORING, iterations: 1, useEncoder: false };
    expect(await codeOf(measureImages(dcgan, null, [flat(32)], o))).toBe('BAD_INPUT');
    expect(await codeOf(measureImages(dcgan, null, [{ ...flat(16), channels: 3 }], o))).toBe('BAD_INPUT');
    expect(await codeOf(measureImages(dcgan, null, [{ ...flat(16), data: new Float32Array(10) }], o))).toBe('BAD_INPUT');
    expect(await codeOf(measureImages(dcgan, null, [flat(16, Number.NaN)], o))).toBe('BAD_INPUT');
    expect(await codeOf(measureImages(dcgan, null, [flat(16, 200)], o))).toBe('BAD_INPUT');
    expect(await codeOf(measureImages(dcgan, null, [], o))).toBe('BAD_INPUT');
    expect(await codeOf(inspectImages({ dcgan, encoder: null, calibration: null, hyper: {} }, [flat(16)]))).toBe('NOT_CALIBRATED');
  });

  it('trains the encoder (loss falls) without leaking tensors, and measuring leaks nothing', async () => {
    const enc = buildEncoder(dcgan.config, 2);
    const x = tf.randomUniform([12, 16, 16, 1], -0.5, 0.5, 'float32', 3) as tf.Tensor4D;
    await trainEncoder(dcgan, enc, x, { steps: 1, batchSize: 6 });
    const before = tf.memory().numTensors;
    // The whole set every step, so the losses are comparable from step to step.
    const losses = await trainEncoder(dcgan, enc, x, { steps: 30, batchSize: 12, lr: 3e-3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
    const images = [flat(16, 0.1), flat(16, -0.2)];
    const o = { ...DEFAULT_SCORING, iterations: 3, restarts: 2, optimizer: 'momentum' as const };
    await measureImages(dcgan, enc, images, o);
    const n = tf.memory().numTensors;
    const iterations: number[] = [];
    const m = await measureImages(dcgan, enc, images, o, { onIteration: (_, it) => iterations.push(it) });
    expect(tf.memory().numTensors).toBe(n);
    expect(iterations).toEqual([1, 2, 3]);
    expect(m.latents).toHaveLength(2);
    expect(m.highPassMaps[0]).toHaveLength(256);
    x.dispose();
    disposeEncoder(enc);
  });

  it('local summaries of a residual map see a small defect that the mean hardly sees', () => {
    const size = 32;
    const base = new Float32Array(size * size).fill(0.05);
    const spot = base.slice();
    for (let y = 10; y < 13; y++) for (let x = 10; x < 13; x++) spot[y * size + x] = 0.8;
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(spot) / mean(base)).toBeLessThan(1.2);
    const blurred = gaussianBlur(spot, size, size, 1.5);
    expect(maxValue(blurred) / maxValue(gaussianBlur(base, size, size, 1.5))).toBeGreaterThan(4);
    expect(topKMean(blurred, 0.01)).toBeGreaterThan(3 * topKMean(base, 0.01));
    // A uniform offset (brightness mismatch) vanishes from the band-pass map away from borders.
    const offset = highPassResidualMap(new Float32Array(size * size).fill(0.3), size, size, 1);
    expect(maxValue(offset)).toBeLessThan(1e-5);
    const { std } = pixelStatistics([base, spot, base]);
    expect(Math.min(...std)).toBeGreaterThan(0);
  });
});
