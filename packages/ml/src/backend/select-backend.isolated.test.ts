import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from './select-backend';

describe('selectBackend', () => {
  it('falls through the native packages to threaded SIMD wasm here and logs why', async () => {
    const lines: string[] = [];
    const info = await selectBackend('auto', (l) => lines.push(l), { threads: 2 });
    // On these machines tfjs-node(-gpu) cannot install; on a machine with them this differs.
    expect(['tensorflow-gpu', 'tensorflow-cpu', 'wasm']).toContain(info.kind);
    if (info.kind === 'wasm') {
      expect(lines.some((l) => l.includes('tfjs-node-gpu unavailable'))).toBe(true);
      expect(info.threads).toBe(2);
      expect(info.simd).toBe(true);
      expect(tf.getBackend()).toBe('wasm');
      // The missing gradient kernel is registered as part of the selection.
      expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    }
    const y = tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])));
    expect(Array.from(await y.data())).toEqual([3, 3, 3, 3]);
    y.dispose();
  });

  it('honours an explicit cpu preference', async () => {
    const info = await selectBackend('cpu');
    expect(info).toMatchObject({ name: 'cpu', kind: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('switches back to an initialised backend without initialising it again', async () => {
    const lines: string[] = [];
    const info = await selectBackend('wasm', (l) => lines.push(l));
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(lines).toEqual([]);
  });
});
