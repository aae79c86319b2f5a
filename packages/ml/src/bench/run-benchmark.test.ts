import { describe, expect, it } from 'vitest';
import { parseBenchmarkArgs, runBenchmark } from './run-benchmark';

const PEER_KEYS = [
  'framework', 'threads', 'size', 'nf', 'batch', 'channels', 'loss', 'train_step_ms',
  'train_images_per_s', 'inversion_ms_per_image_iter', 'peak_rss_mb',
];

describe('benchmark', () => {
  it('parses the peer flags and rejects bad ones', () => {
    expect(parseBenchmarkArgs(['--size', '32', '--inv-iters=3', '--loss', 'l1', '--threads', '1'])).toMatchObject({
      size: 32, invIters: 3, loss: 'l1', threads: 1, nf: 32, batch: 16,
    });
    expect(() => parseBenchmarkArgs(['--size', 'big'])).toThrow(/positive integer/);
    expect(() => parseBenchmarkArgs(['--loss', 'l2'])).toThrow(/lap1 or l1/);
    expect(() => parseBenchmarkArgs(['--gpu'])).toThrow(/missing value|unknown flag/);
  });

  it('prints exactly the peer JSON keys with measured, consistent numbers', async () => {
    const r = await runBenchmark({ size: 32, nf: 4, batch: 2, steps: 1, invIters: 1, threads: 2, backend: 'wasm' });
    expect(Object.keys(r)).toEqual(PEER_KEYS);
    expect(r).toMatchObject({ size: 32, nf: 4, batch: 2, channels: 1, loss: 'lap1', threads: 2 });
    expect(r.framework).toMatch(/^tfjs-4\.22\.0-wasm/);
    expect(r.train_step_ms).toBeGreaterThan(0);
    expect(r.train_images_per_s).toBeCloseTo((2 * 1000) / r.train_step_ms, 0);
    expect(r.inversion_ms_per_image_iter).toBeGreaterThan(0);
    expect(r.peak_rss_mb).toBeGreaterThan(50);
  });
});
