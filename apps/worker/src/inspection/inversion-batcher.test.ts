import { describe, expect, it } from 'vitest';
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
});
