import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FloatImage } from '@gansight/imaging';
import type { InspectionModel } from '@gansight/ml';
import { createInversionBatcher } from './inversion-batcher';
import type { ImageScore, InversionWatch, IterationReport } from './score-image';

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

  describe('waiting for announced images', () => {
    // Fake clock: the batcher's behaviour is checked at exact instants, never by real waiting.
    const fake = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance', 'Date'] });
    afterEach(() => void vi.useRealTimers());
    const ids = (calls: { ids: number[] }[]) => calls.map((c) => c.ids);

    it('holds the first image of a burst while the others are on their way, and starts once none is', async () => {
      fake();
      const calls: { model: string; ids: number[] }[] = [];
      const b = createInversionBatcher({ maxBatch: 4, windowMs: 50, score: fakeInversion(100, calls) });
      const [a1, a2, a3, b1] = [b.announce(), b.announce(), b.announce(), b.announce()];
      const all = [b.score('a', modelA, image(1), undefined, a1)];
      await vi.advanceTimersByTimeAsync(5);
      all.push(b.score('a', modelA, image(2), undefined, a2));
      await vi.advanceTimersByTimeAsync(5);
      expect(calls).toEqual([]); // two images still on their way
      all.push(b.score('b', modelB, image(9), undefined, b1)); // another model's: its own queue
      await vi.advanceTimersByTimeAsync(5);
      expect(calls).toEqual([]);
      a3.withdraw(); // that job failed before scoring: nobody else is coming
      await vi.advanceTimersByTimeAsync(0);
      expect(calls).toEqual([{ model: 'A', ids: [1, 2] }, { model: 'B', ids: [9] }]);
      await vi.advanceTimersByTimeAsync(100);
      expect((await Promise.all(all)).map((s) => s.anomalyScore)).toEqual([1, 2, 9]);
    });

    it('waits at most the window for an image that does not come', async () => {
      fake();
      const calls: { model: string; ids: number[] }[] = [];
      const b = createInversionBatcher({ maxBatch: 4, windowMs: 20, score: fakeInversion(10, calls) });
      const first = b.announce();
      b.announce(); // slow: still reading its image
      const scored = b.score('a', modelA, image(1), undefined, first);
      await vi.advanceTimersByTimeAsync(19);
      expect(calls).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(ids(calls)).toEqual([[1]]);
      await vi.advanceTimersByTimeAsync(10);
      expect((await scored).anomalyScore).toBe(1);
    });

    it('never waits with nothing on the way, with a full batch, with batches of one or with the window at 0', async () => {
      fake();
      const cases = [
        { o: { maxBatch: 4, windowMs: 1000 }, others: 0, images: [1], expected: [[1]] },
        { o: { maxBatch: 2, windowMs: 1000 }, others: 3, images: [1, 2], expected: [[1, 2]] },
        { o: { maxBatch: 1, windowMs: 1000 }, others: 3, images: [1], expected: [[1]] },
        { o: { maxBatch: 4, windowMs: 0 }, others: 3, images: [1], expected: [[1]] },
      ];
      for (const c of cases) {
        const calls: { model: string; ids: number[] }[] = [];
        const b = createInversionBatcher({ ...c.o, score: fakeInversion(10, calls) });
        for (let i = 0; i < c.others; i++) b.announce();
        const scored = c.images.map((id) => b.score('a', modelA, image(id), undefined, b.announce()));
        await vi.advanceTimersByTimeAsync(0);
        expect(ids(calls), JSON.stringify(c.o)).toEqual(c.expected);
        await vi.advanceTimersByTimeAsync(10);
        expect((await Promise.all(scored)).map((s) => s.anomalyScore)).toEqual(c.images);
      }
    });

    it('inverts images that waited through a running batch as soon as it ends', async () => {
      fake();
      const calls: { model: string; ids: number[] }[] = [];
      const b = createInversionBatcher({ maxBatch: 4, windowMs: 10, score: fakeInversion(50, calls) });
      const [a1, a2, a3] = [b.announce(), b.announce(), b.announce()];
      const all = [b.score('a', modelA, image(1), undefined, a1)];
      await vi.advanceTimersByTimeAsync(10); // window over: [1] runs until t=60
      all.push(b.score('a', modelA, image(2), undefined, a2));
      await vi.advanceTimersByTimeAsync(45);
      all.push(b.score('a', modelA, image(3), undefined, a3)); // t=55: 5 ms before the batch ends
      await vi.advanceTimersByTimeAsync(5);
      expect(ids(calls)).toEqual([[1], [2, 3]]);
      await vi.advanceTimersByTimeAsync(50);
      expect((await Promise.all(all)).map((s) => s.anomalyScore)).toEqual([1, 2, 3]);
    });
  });

  it("hands each inspection of a batch only its own image's iterations, with the preview interval", async () => {
    let seenEvery = -1;
    // A stand-in inversion of 2 iterations: image i's loss is its id / iteration.
    const score = async (_m: InspectionModel, images: FloatImage[], _p?: unknown, watch?: InversionWatch): Promise<ImageScore[]> => {
      seenEvery = watch?.previewEvery ?? -1;
      for (let it = 1; it <= 2; it++) {
        images.forEach((img, i) => watch?.report(i, { iteration: it, totalIterations: 2, loss: img.data[0]! / it, preview: null }));
      }
      return images.map((img) => ({ anomalyScore: img.data[0]! }) as ImageScore);
    };
    const b = createInversionBatcher({ maxBatch: 3, previewEvery: 7, score });
    const heard = new Map<number, IterationReport[]>([[1, []], [2, []], [3, []]]);
    const listen = (id: number) => (r: IterationReport) => (heard.get(id)!.push(r), false);
    // Image 2 has no listener: the others are still told theirs.
    await Promise.all([b.score('a', modelA, image(1), listen(1)), b.score('a', modelA, image(2)), b.score('a', modelA, image(3), listen(3))]);
    expect(b.batchSizes).toEqual([3]);
    expect(seenEvery).toBe(7);
    expect(heard.get(1)!.map((r) => [r.iteration, r.loss])).toEqual([[1, 1], [2, 0.5]]);
    expect(heard.get(3)!.map((r) => [r.iteration, r.loss])).toEqual([[1, 3], [2, 1.5]]);
    expect(heard.get(2)).toEqual([]);
  });
});
