// The phases after GAN training report progress step by step, and a caller that throws from
// the progress callback (the worker cancelling or draining a run) stops the work there, in every
// phase, with no tensors left behind (issue 13, items 8 and 9).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { buildDcgan, disposeDcgan, type Dcgan } from '../dcgan/dcgan-model';
import { encoderVariables } from './encoder';
import { finishInspectionModel, type FinishOptions } from './finish-inspection-model';
import { checkGenerator } from './generator-check';
import { DEFAULT_SCORING } from './inspection-model';
import type { PipelineImage } from './measure-images';
import type { PhaseProgress, TrainingPhase } from './phase-progress';

const SIZE = 16;
function texture(seed: number): PipelineImage {
  const data = new Float32Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) data[y * SIZE + x] = 0.6 * Math.sin((x + seed) / 2) * Math.cos((y * (1 + (seed % 3))) / 3);
  return { width: SIZE, height: SIZE, channels: 1, data };
}

let dcgan: Dcgan;
// 40 training images: enough for both densities (the local one needs 32).
const train = Array.from({ length: 40 }, (_, i) => texture(i));
const validation = Array.from({ length: 8 }, (_, i) => texture(100 + i));
const options = (onProgress?: FinishOptions['onProgress']): FinishOptions => ({
  encoderSteps: 3, encoderBatchSize: 8, falseAlarmRate: 0.05, seed: 1,
  scoring: { ...DEFAULT_SCORING, iterations: 3, batchSize: 4 },
  ...(onProgress ? { onProgress } : {}),
});

class Stop extends Error {}

beforeAll(async () => {
  await selectBackend('wasm', undefined, { threads: 2 });
  dcgan = buildDcgan({ size: SIZE, nf: 4, zdim: 8, channels: 1 }, 3);
});

afterAll(() => disposeDcgan(dcgan));

describe('phase progress after GAN training', () => {
  it('reports every encoder step, both density fits and every calibration iteration, then the generator check', async () => {
    const seen: PhaseProgress[] = [];
    const model = await finishInspectionModel(dcgan, train, validation, options((p) => void seen.push(p)));
    try {
      expect(seen.filter((p) => p.phase === 'encoder').map((p) => p.done)).toEqual([1, 2, 3]);
      expect(seen.filter((p) => p.phase.endsWith('density')).map((p) => p.phase)).toEqual(['feature-density', 'local-feature-density']);
      // 8 images in batches of 4, 3 iterations each: 6 units, in order.
      expect(seen.filter((p) => p.phase === 'calibration').map((p) => `${p.done}/${p.total}`)).toEqual(['1/6', '2/6', '3/6', '4/6', '5/6', '6/6']);
      expect([...new Set(seen.map((p) => p.phase))]).toEqual(['encoder', 'feature-density', 'local-feature-density', 'calibration']);

      const checked: PhaseProgress[] = [];
      await checkGenerator(model, train.slice(0, 8), { samples: 8, seed: 1, onProgress: (p) => void checked.push(p) });
      expect(checked.map((p) => `${p.phase} ${p.done}/${p.total}`)).toEqual([
        ...[1, 2, 3, 4, 5, 6].map((d) => `generator-check ${d}/6`), 'generator-check 6/6',
      ]);
    } finally {
      if (model.encoder) tf.dispose(encoderVariables(model.encoder));
    }
  });

  const phases: TrainingPhase[] = ['encoder', 'feature-density', 'local-feature-density', 'calibration'];
  for (const phase of phases) {
    it(`stops in the ${phase} phase when the callback throws, leaving no tensors behind`, async () => {
      const before = tf.memory().numTensors;
      const after: PhaseProgress[] = [];
      let stopped = false;
      const run = finishInspectionModel(dcgan, train, validation, options((p) => {
        if (stopped) after.push(p);
        if (p.phase === phase && p.done <= 1 && !stopped) {
          stopped = true;
          throw new Stop(phase);
        }
      }));
      await expect(run).rejects.toBeInstanceOf(Stop);
      expect(after).toEqual([]); // nothing ran on after the stop
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('stops the generator check when the callback throws, leaving no tensors behind', async () => {
    const model = await finishInspectionModel(dcgan, train, validation, options());
    try {
      const before = tf.memory().numTensors;
      await expect(checkGenerator(model, train.slice(0, 8), { samples: 8, onProgress: () => { throw new Stop('check'); } })).rejects.toBeInstanceOf(Stop);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      if (model.encoder) tf.dispose(encoderVariables(model.encoder));
    }
  });
});
