import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { outsideTape } from './outside-tape';

describe('outsideTape', () => {
  it('runs a nested gradient as a top-level one: both gradients are right and nothing is kept', async () => {
    await tf.setBackend('cpu');
    const x = tf.scalar(3);
    const w = tf.variable(tf.scalar(2));
    const before = tf.memory().numTensors;
    let inner: number | undefined;
    const dx = tf.grad((xv: tf.Tensor) => {
      const y = tf.mul(xv, xv); // on the outer tape
      outsideTape(() => {
        // d(w^3)/dw = 3 w^2 = 12, then w changes: the outer gradient must not see any of it.
        const g = tf.variableGrads(() => tf.pow(w, 3) as tf.Scalar, [w]);
        inner = g.grads[w.name]!.dataSync()[0];
        w.assign(tf.sub(w, g.grads[w.name]!));
        tf.dispose([g.value, g.grads[w.name]!]);
      });
      return tf.mul(y, w); // x^2 * w with the updated w = -10
    })(x);
    expect(inner).toBeCloseTo(12, 5);
    expect(dx.dataSync()[0]).toBeCloseTo(2 * 3 * -10, 4);
    dx.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // The engine's tape state is restored: a later gradient still works.
    expect(tf.grad((v: tf.Tensor) => tf.square(v))(tf.scalar(4)).dataSync()[0]).toBeCloseTo(8, 5);
    tf.dispose([x, w]);
  });

  it('restores the tape state when the function throws', async () => {
    await tf.setBackend('cpu');
    const g = tf.grad((v: tf.Tensor) => {
      expect(() => outsideTape(() => { throw new Error('boom'); })).toThrow('boom');
      return tf.mul(v, 5);
    })(tf.scalar(1));
    expect(g.dataSync()[0]).toBeCloseTo(5, 6);
  });
});
