import { describe, expect, it } from 'vitest';
import { taskOfIdentifier, trainingTaskIdentifier, trainingTaskIdentifiersFor } from './training-backends';

describe('training pinned to backends', () => {
  it('queues unpinned training as `train` and a pin under one identifier whatever its order', () => {
    expect(trainingTaskIdentifier([])).toBe('train');
    expect(trainingTaskIdentifier(['tensorflow-gpu'])).toBe('train@tensorflow-gpu');
    expect(trainingTaskIdentifier(['tensorflow-cpu', 'tensorflow-gpu'])).toBe('train@tensorflow-gpu+tensorflow-cpu');
    expect(trainingTaskIdentifier(['tensorflow-gpu', 'tensorflow-cpu', 'tensorflow-gpu'])).toBe('train@tensorflow-gpu+tensorflow-cpu');
    expect(() => trainingTaskIdentifier(['tpu'])).toThrow(/Unknown ML backend\(s\) tpu/);
  });

  it('lets a worker take exactly the pins that name its backend', () => {
    const gpu = trainingTaskIdentifiersFor('tensorflow-gpu');
    expect(gpu).toHaveLength(9);
    expect(gpu).toEqual(expect.arrayContaining(['train', 'train@tensorflow-gpu', 'train@tensorflow-gpu+tensorflow-cpu', 'train@tensorflow-gpu+tensorflow-cpu+wasm+cpu']));
    expect(gpu.filter((id) => id !== 'train').every((id) => id.includes('tensorflow-gpu'))).toBe(true);
    expect(trainingTaskIdentifiersFor('wasm')).not.toContain('train@tensorflow-gpu');
    expect(trainingTaskIdentifiersFor('wasm')).toContain('train@wasm');
    expect(trainingTaskIdentifiersFor('test')).toEqual(['train']);
  });

  it('reads the task back from a pinned identifier', () => {
    expect(taskOfIdentifier('train@wasm+cpu')).toBe('train');
    expect(taskOfIdentifier('inspect')).toBe('inspect');
    expect(taskOfIdentifier('cleanup')).toBeUndefined();
  });
});
