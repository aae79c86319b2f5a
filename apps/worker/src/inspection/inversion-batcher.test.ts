import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FloatImage } from '@gansight/imaging';
import type { InspectionModel } from '@gansight/ml';
import { createInversionBatcher } from './inversion-batcher';
import type { ImageScore } from './score-image';

const image = (id: number): FloatImage => ({ width: 1, height: 1, channels: 1, data: Float32Array.of(id) });
const modelA = { hyper: { name: 'A' } } as unknown as InspectionModel;
const modelB = { hyper: { name: 'B' } } as unknown as InspectionModel;

/** A stand-in for the inversion: answers each image with its own id after `ms`, records what it was given. */
function fakeInversion(ms: number, calls: { model: string; ids: number[] }[], failOn?: number) {
  return async (model: InspectionModel, images: FloatImage[]): Promise<ImageScore[]> => {
    const ids = images.map((i) => i.data[0]!);
    calls.push({ model: String(model.hyper.name), ids });
    await new Promise((r) => setTimeout(r, ms));
    if (failOn !== undefined && ids.includes(failOn)) throw new Error('inversion failed');
    return ids.map((id) => ({ anomalyScore: id }) as ImageScore);
  };
}

describe('inversion batcher', () => {
  it('inverts a lone image at once, and images that arrive meanwhile together, each answered with its own score', async () => {
    const calls: { model: string; ids: number[] }[] = [];
    const b = createInversionBatcher({ maxBatch: 3, score: fakeInversion(30, calls) });
    const first = b.score('a', modelA, image(1));
    await new Promise((r) => setTimeout(r, 5)); // the first batch is running
    const later = [2, 3, 4, 5].map((id) => b.score('a', modelA, image(id)));
    const scores = await Promise.all([first, ...later]);
    expect(scores.map((s) => s.anomalyScore)).toEqual([1, 2, 3, 4, 5]);
    expect(calls.map((c) => c.ids)).toEqual([[1], [2, 3, 4], [5]]);
    expect(b.batchSizes).toEqual([1, 3, 1]);
  });

  it('never mixes models, and fails only the batch that failed', async () => {
    const calls: { model: string; ids: number[] }[] = [];
    const b = createInversionBatcher({ maxBatch: 4, score: fakeInversion(20, calls, 2) });
    const results = await Promise.allSettled([b.score('a', modelA, image(1)), b.score('b', modelB, image(2)), b.score('a', modelA, image(3))]);
    expect(calls).toEqual([{ model: 'A', ids: [1, 3] }, { model: 'B', ids: [2] }]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // The failed model's queue still works afterwards.
    expect((await b.score('b', modelB, image(7))).anomalyScore).toBe(7);
  });

  describe('hold window', () => {
    // Fake clock: the window's behaviour is checked at exact instants, never by real waiting.
    const fake = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance', 'Date'] });
    afterEach(() => void vi.useRealTimers());
    const ids = (calls: { ids: number[] }[]) => calls.map((c) => c.ids);

    it('holds the first image of a burst until its window ends, taking the images that arrive meanwhile', async () => {
      fake();
      const calls: { model: string; ids: number[] }[] = [];
      const b = createInversionBatcher({ maxBatch: 4, windowMs: 20, score: fakeInversion(100, calls) });
      const all = [b.score('a', modelA, image(1))];
      await vi.advanceTimersByTimeAsync(5);
      all.push(b.score('a', modelA, image(2)));
      await vi.advanceTimersByTimeAsync(10);
      all.push(b.score('a', modelA, image(3)), b.score('b', modelB, image(9)));
      await vi.advanceTimersByTimeAsync(4); // 19 ms after the first: still waiting
      expect(calls).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls).toEqual([{ model: 'A', ids: [1, 2, 3] }]);
      // Model B's image has its own window, counted from its own arrival (15 ms + 20 ms).
      await vi.advanceTimersByTimeAsync(14);
      expect(calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls[1]).toEqual({ model: 'B', ids: [9] });
      await vi.advanceTimersByTimeAsync(200);
      expect((await Promise.all(all)).map((s) => s.anomalyScore)).toEqual([1, 2, 3, 9]);
    });

    it('starts a full batch without waiting, and never waits when batches hold one image or the window is 0', async () => {
      fake();
      const calls: { model: string; ids: number[] }[] = [];
      const full = createInversionBatcher({ maxBatch: 2, windowMs: 1000, score: fakeInversion(10, calls) });
      const pair = [full.score('a', modelA, image(1)), full.score('a', modelA, image(2)), full.score('a', modelA, image(3))];
      await vi.advanceTimersByTimeAsync(0);
      expect(ids(calls)).toEqual([[1, 2]]);
      // The third waits for the batch in flight, then (alone, not full) for the rest of its window.
      await vi.advanceTimersByTimeAsync(999);
      expect(ids(calls)).toEqual([[1, 2]]);
      await vi.advanceTimersByTimeAsync(1);
      expect(ids(calls)).toEqual([[1, 2], [3]]);
      await vi.advanceTimersByTimeAsync(10);
      await Promise.all(pair);

      for (const o of [{ maxBatch: 1, windowMs: 1000 }, { maxBatch: 4, windowMs: 0 }]) {
        const seen: { model: string; ids: number[] }[] = [];
        const b = createInversionBatcher({ ...o, score: fakeInversion(10, seen) });
        const lone = b.score('a', modelA, image(5));
        await vi.advanceTimersByTimeAsync(0);
        expect(ids(seen)).toEqual([[5]]);
        await vi.advanceTimersByTimeAsync(10);
        expect((await lone).anomalyScore).toBe(5);
      }
    });

    it('inverts images that waited through a running batch as soon as it ends', async () => {
      fake();
      const calls: { model: string; ids: number[] }[] = [];
      const b = createInversionBatcher({ maxBatch: 4, windowMs: 10, score: fakeInversion(50, calls) });
      const all = [b.score('a', modelA, image(1))];
      await vi.advanceTimersByTimeAsync(10); // window over: [1] runs until t=60
      all.push(b.score('a', modelA, image(2)));
      await vi.advanceTimersByTimeAsync(45);
      all.push(b.score('a', modelA, image(3))); // t=55: 5 ms before the batch ends
      await vi.advanceTimersByTimeAsync(5);
      // Image 2 has waited 50 ms, more than its window: the next batch starts at once, with 3.
      expect(ids(calls)).toEqual([[1], [2, 3]]);
      await vi.advanceTimersByTimeAsync(50);
      expect((await Promise.all(all)).map((s) => s.anomalyScore)).toEqual([1, 2, 3]);
    });
  });
});
