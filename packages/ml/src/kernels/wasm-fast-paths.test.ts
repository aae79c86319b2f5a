import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';

describe('wasm fast paths', () => {
  beforeAll(async () => {
    await selectBackend('wasm', undefined, { threads: 2 });
  });

  it('a clone shares data but lives on its own: disposing either leaves the other intact, and a variable assign does not reach it', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.clone(a);
    a.dispose();
    expect(Array.from(await b.data())).toEqual([1, 2, 3]);
    const v = tf.variable(b);
    const snapshot = tf.clone(v);
    const next = tf.tensor1d([7, 8, 9]);
    v.assign(next);
    next.dispose();
    expect(Array.from(await snapshot.data())).toEqual([1, 2, 3]);
    expect(Array.from(await v.data())).toEqual([7, 8, 9]);
    tf.dispose([b, v, snapshot]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    [[5, 3], [5, 4], true, false],
    [[5, 3], [4, 5], true, true],
    [[2, 6, 3], [2, 6, 4], true, false],
    [[3, 5], [4, 5], false, true],
  ] as const)('matMul %j x %j (transposeA %s, transposeB %s) matches the cpu backend', async (sa, sb, ta, tb) => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const a = tf.tensor(Array.from({ length: sa.reduce((x, y) => x * y, 1) }, (_, i) => Math.sin(i + 1)), [...sa]);
      const b = tf.tensor(Array.from({ length: sb.reduce((x, y) => x * y, 1) }, (_, i) => Math.cos(i * 0.7)), [...sb]);
      const out = tf.matMul(a, b, ta, tb);
      const data = Array.from(await out.data());
      tf.dispose([a, b, out]);
      return data;
    };
    const ref = await run('cpu');
    const got = await run('wasm');
    got.forEach((v, i) => expect(v).toBeCloseTo(ref[i]!, 4));
  });
});
