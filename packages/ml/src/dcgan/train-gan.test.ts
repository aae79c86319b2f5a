import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { allVariables, buildDcgan, disposeDcgan, generatorVariables } from './dcgan-model';
import { createTrainer, disposeTrainer, trainStep } from './train-step';
import { trainGan, type TrainProgress } from './train-gan';
import type { GanCheckpoint } from './checkpoint';

async function weightsOf(vars: tf.Variable[]): Promise<Float32Array[]> {
  return Promise.all(vars.map(async (v) => (await v.data()) as Float32Array));
}

function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  let m = 0;
  a.forEach((x, i) => x.forEach((v, j) => { m = Math.max(m, Math.abs(v - b[i]![j]!)); }));
  return m;
}

describe('DCGAN training on wasm', () => {
  beforeAll(async () => {
    await selectBackend('wasm', undefined, { threads: 2 });
  });

  it('builds the BENCHMARK.md architecture for each size', () => {
    for (const size of [32, 64, 128]) {
      const m = buildDcgan({ size, nf: 8, channels: 3 });
      // G upsamples 4 -> size/2 in blocks, then one more ConvTranspose to `size`.
      expect(m.generator.blocks.length).toBe(Math.log2(size / 8));
      expect(m.generator.outFilter.shape).toEqual([4, 4, 3, 8 * 8 / 2 ** m.generator.blocks.length]);
      expect(m.discriminator.blocks.length).toBe(Math.log2(size / 8));
      expect(m.discriminator.denseW.shape).toEqual([16 * 8 * 2 ** m.discriminator.blocks.length, 1]);
      disposeDcgan(m);
    }
    expect(() => buildDcgan({ size: 48 })).toThrow(/size/);
  });

  it('a step changes both networks, reports finite metrics and leaks no tensors', async () => {
    const m = buildDcgan({ size: 32, nf: 8 }, 3);
    const t = createTrainer(m);
    const real = tf.randomUniform([8, 32, 32, 1], -1, 1) as tf.Tensor4D;
    const z = tf.randomNormal([8, 100]) as tf.Tensor2D;
    await trainStep(t, real, z); // warm-up allocates optimizer state
    const before = tf.memory().numTensors;
    const g0 = await weightsOf(generatorVariables(m.generator));
    const r = await trainStep(t, real, z);
    expect(tf.memory().numTensors).toBe(before);
    expect(maxAbsDiff(g0, await weightsOf(generatorVariables(m.generator)))).toBeGreaterThan(0);
    for (const v of [r.dLoss, r.gLoss, r.dReal, r.dFake]) expect(Number.isFinite(v)).toBe(true);
    expect(r.dReal).toBeGreaterThan(0);
    expect(r.dReal).toBeLessThan(1);
    tf.dispose([real, z]);
    disposeTrainer(t);
    disposeDcgan(m);
  });

  it('learns: D separates real from fake within a few steps', async () => {
    const m = buildDcgan({ size: 32, nf: 8 }, 1);
    const data = tf.tidy(() => tf.mul(tf.ones([32, 32, 32, 1]), 0.5)) as tf.Tensor4D;
    const seen: TrainProgress[] = [];
    await trainGan(m, data, { steps: 6, batchSize: 8, seed: 1, onStep: (p) => { seen.push(p); } });
    expect(seen.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen[5]!.etaSeconds).toBe(0);
    expect(seen[0]!.imagesPerSecond).toBeGreaterThan(0);
    expect(seen[5]!.dLoss).toBeLessThan(seen[0]!.dLoss);
    data.dispose();
    disposeDcgan(m);
  });

  it('resuming from a checkpoint reaches the same weights as an uninterrupted run', async () => {
    const cfg = { size: 32, nf: 8 };
    const data = tf.randomUniform([24, 32, 32, 1], -1, 1, 'float32', 9) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const full = buildDcgan(cfg, 5);
    const grids: number[] = [];
    await trainGan(full, data, {
      steps: 4, batchSize: 8, seed: 42, sampleEvery: 2,
      onSample: (step, grid) => { grids.push(step); expect(grid.shape).toEqual([128, 128, 1]); grid.dispose(); },
    });
    expect(grids).toEqual([2, 4]);
    const ckpts: GanCheckpoint[] = [];
    const first = buildDcgan(cfg, 5);
    await trainGan(first, data, { steps: 2, batchSize: 8, seed: 42, checkpointEvery: 1, save: (c) => { ckpts.push(c); } });
    expect(ckpts.map((c) => c.step)).toEqual([1, 2]);
    const resumed = buildDcgan(cfg, 99); // different init: everything must come from the checkpoint
    await trainGan(resumed, data, { steps: 4, batchSize: 8, seed: 42, resumeFrom: ckpts[1]! });
    const a = await weightsOf(allVariables(full));
    const b = await weightsOf(allVariables(resumed));
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
    // And the run really moved away from the checkpoint.
    expect(maxAbsDiff(a, await weightsOf(allVariables(first)))).toBeGreaterThan(1e-4);
    [full, first, resumed].forEach(disposeDcgan);
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
  });

  it('checkpoint on demand: an abort stops at the step boundary with a checkpoint, and resuming from it equals the uninterrupted run', async () => {
    const cfg = { size: 32, nf: 8 };
    const data = tf.randomUniform([24, 32, 32, 1], -1, 1, 'float32', 10) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const full = buildDcgan(cfg, 6);
    const whole = await trainGan(full, data, { steps: 5, batchSize: 8, seed: 7 });
    expect(whole).toMatchObject({ stepsCompleted: 5, stopped: null });
    expect(whole.checkpoint).toBeUndefined();

    // Aborted while step 2 runs (as a SIGTERM handler would): step 2 completes, then it stops.
    const stop = new AbortController();
    const saved: number[] = [];
    const first = buildDcgan(cfg, 6);
    const interrupted = await trainGan(first, data, {
      steps: 5, batchSize: 8, seed: 7, checkpointEvery: 100, signal: stop.signal,
      onStep: (p) => { if (p.step === 2) stop.abort(); },
      save: (c) => { saved.push(c.step); },
    });
    expect(interrupted).toMatchObject({ stepsCompleted: 2, stopped: 'signal' });
    expect(interrupted.checkpoint!.step).toBe(2);
    expect(saved).toEqual([2]); // handed to save once, not waiting for the step-100 schedule

    const resumed = buildDcgan(cfg, 77);
    const rest = await trainGan(resumed, data, { steps: 5, batchSize: 8, seed: 7, resumeFrom: interrupted.checkpoint! });
    expect(rest).toMatchObject({ stepsCompleted: 5, stopped: null });
    expect(maxAbsDiff(await weightsOf(allVariables(full)), await weightsOf(allVariables(resumed)))).toBeLessThan(1e-6);

    // A step just saved on schedule is not saved twice; shouldStop alone writes no checkpoint.
    const again: number[] = [];
    const scheduled = buildDcgan(cfg, 6);
    const ctl = new AbortController();
    const r2 = await trainGan(scheduled, data, {
      steps: 5, batchSize: 8, seed: 7, checkpointEvery: 3, signal: ctl.signal,
      onStep: (p) => { if (p.step === 3) ctl.abort(); }, save: (c) => { again.push(c.step); },
    });
    expect(again).toEqual([3]);
    expect(r2.checkpoint!.step).toBe(3);
    let n = 0;
    const quiet: number[] = [];
    const r3 = await trainGan(scheduled, data, {
      steps: 5, batchSize: 8, seed: 7, shouldStop: () => ++n > 1, save: (c) => { quiet.push(c.step); }, checkpointEvery: 100,
    });
    expect(r3).toMatchObject({ stepsCompleted: 1, stopped: 'shouldStop' });
    expect(r3.checkpoint).toBeUndefined();
    expect(quiet).toEqual([]);
    [full, first, resumed, scheduled].forEach(disposeDcgan);
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
  });
});
