import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, type FloatImage } from '@gansight/imaging';
import { FsBlobStore } from '@gansight/storage';
import { inspectionProgressReporter, type ProgressEventData } from './inspection-progress';

let root: string;
let blobs: FsBlobStore;
const image: FloatImage = { width: 8, height: 8, channels: 1, data: new Float32Array(64) };
const dir = 'factories/f1/inspections/i1';

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'progress-'));
  blobs = new FsBlobStore({ root });
  await blobs.ensureReady();
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Runs `total` iterations as the inversion would, giving the event loop a turn when asked. */
async function invert(onIteration: (r: { iteration: number; totalIterations: number; loss: number; preview: Float32Array | null }) => boolean, total: number, every: number) {
  for (let it = 1; it <= total; it++) {
    const preview = it % every === 0 ? new Float32Array(64).fill(it / total - 0.5) : null;
    if (onIteration({ iteration: it, totalIterations: total, loss: 1 / it, preview })) await new Promise<void>((r) => setImmediate(r));
  }
}

describe('inspection progress reporter', () => {
  it('throttles loss events, stores numbered previews without waiting, and ends with the final one', async () => {
    const sent: ProgressEventData[] = [];
    const logs: string[] = [];
    const p = inspectionProgressReporter({ blobs, dir, image, intervalMs: 60_000, emit: async (d) => void sent.push(d), log: (l) => logs.push(l) });
    await invert((r) => p.onIteration(r), 30, 10);
    await p.finish();
    expect(logs).toEqual([]);
    // The first iteration, one event per preview once it is stored, and the last one held back for its preview.
    expect(sent[0]).toEqual({ iteration: 1, totalIterations: 30, loss: 1 });
    expect(sent.at(-1)).toEqual({ iteration: 30, totalIterations: 30, loss: 1 / 30, previewKey: `${dir}/preview-000030.png` });
    // How many previews are announced before the end depends on how fast storage is; at most
    // one event each, never out of order, and every key named is stored.
    expect(sent.length).toBeLessThanOrEqual(5);
    const its = sent.map((e) => e.iteration);
    its.slice(1).forEach((it, k) => expect(it).toBeGreaterThan(its[k]!));
    for (const it of [10, 20, 30]) {
      const png = await decodeImage(await blobs.get(`${dir}/preview-${String(it).padStart(6, '0')}.png`));
      expect([png.width, png.height]).toEqual([8, 8]);
    }
    for (const e of sent) if (e.previewKey) expect(await blobs.exists(e.previewKey)).toBe(true);
  });

  it('logs a preview that cannot be stored and goes on with loss events', async () => {
    const sent: ProgressEventData[] = [];
    const logs: string[] = [];
    // Not a factory's key: the store refuses every write.
    const p = inspectionProgressReporter({ blobs, dir: 'elsewhere', image, intervalMs: 0, emit: async (d) => void sent.push(d), log: (l) => logs.push(l) });
    await invert((r) => p.onIteration(r), 5, 2);
    await p.finish();
    expect(sent.map((e) => e.iteration)).toEqual([1, 2, 3, 4, 5]);
    expect(sent.every((e) => e.previewKey === undefined)).toBe(true);
    // The two writes fail in whichever order the encoder finishes them.
    expect(logs.map((l) => /preview (\S+) not stored/.exec(l)?.[1]).sort()).toEqual(['elsewhere/preview-000002.png', 'elsewhere/preview-000004.png']);
  });

  it('sends the one report of an inspection without iterations (a patch model at its default) with its preview', async () => {
    const sent: ProgressEventData[] = [];
    const p = inspectionProgressReporter({ blobs, dir, image, intervalMs: 60_000, emit: async (d) => void sent.push(d), log: () => {} });
    p.onIteration({ iteration: 0, totalIterations: 0, loss: 0.25, preview: new Float32Array(64).fill(0.1) });
    await p.finish();
    expect(sent).toEqual([{ iteration: 0, totalIterations: 0, loss: 0.25, previewKey: `${dir}/preview-000000.png` }]);
    expect(await blobs.exists(`${dir}/preview-000000.png`)).toBe(true);
  });
});
