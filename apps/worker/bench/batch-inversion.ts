// Should the worker batch the images of concurrent inspections of one model into one inversion?
// Inverts N images (size 64, nf 32, the pipeline's default inversion settings) on the wasm
// backend two ways: N inversions of 1 image (what N inspect jobs do today) and 1 inversion of
// N images. Prints ms per image and the speed-up for each N.
//   node --import tsx apps/worker/bench/batch-inversion.ts [N...]   (default 1 2 4 8)
//   ITERATIONS=100 THREADS=2 to override.
import os from 'node:os';
import { buildDcgan, DEFAULT_SCORING, measureImages, selectBackend, syntheticTextures } from '@gansight/ml';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const ns = sizes.length ? sizes : [1, 2, 4, 8];
const iterations = Number(process.env.ITERATIONS ?? DEFAULT_SCORING.iterations);
const backend = await selectBackend('wasm', undefined, { threads: Number(process.env.THREADS ?? os.cpus().length) });
const dcgan = buildDcgan({ size: 64, channels: 1, nf: 32, zdim: 100 }, 1);
const scoring = { ...DEFAULT_SCORING, iterations, useEncoder: false };
const images = syntheticTextures('wood', Math.max(...ns), { size: 64, seed: 3 }).map((s) => s.image);

const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

console.log(`backend ${backend.kind} (threads ${backend.threads}, simd ${backend.simd}); size 64, nf 32, zdim 100, ${iterations} iterations, loss ${scoring.loss}, ${scoring.restarts} restart(s)`);
console.log(`loadavg ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
await measureImages(dcgan, null, images.slice(0, 1), { ...scoring, iterations: 5 }); // warm-up (kernels, wasm)
console.log('N | N x 1 image: total ms (ms/image) | 1 x N images: total ms (ms/image) | speed-up');
for (const n of ns) {
  const set = images.slice(0, n);
  const separate = await time(async () => {
    for (const img of set) await measureImages(dcgan, null, [img], scoring);
  });
  const batched = await time(() => measureImages(dcgan, null, set, scoring));
  console.log(`${n} | ${separate.toFixed(0)} (${(separate / n).toFixed(0)}) | ${batched.toFixed(0)} (${(batched / n).toFixed(0)}) | ${(separate / batched).toFixed(2)}x`);
}
process.exit(0);
