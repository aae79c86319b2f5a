// What does live inspection progress cost the inversion? The worker watches every iteration
// (one read-back of the per-image losses) and every WORKER_PREVIEW_EVERY iterations reads G(z)
// back for a preview; src/inspection/score-image.ts. Inverts the same images (size 64, nf 32,
// the pipeline's default inversion) plain and watched, alternating, and prints the medians.
//   node --import tsx apps/worker/bench/inversion-progress.ts [N...]   (images per batch; default 1 4)
//   ITERATIONS=100 PREVIEW_EVERY=25 ROUNDS=3 THREADS=2 to override.
import os from 'node:os';
import { buildDcgan, DEFAULT_SCORING, measureImages, selectBackend, syntheticTextures } from '@gansight/ml';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const ns = sizes.length ? sizes : [1, 4];
const iterations = Number(process.env.ITERATIONS ?? DEFAULT_SCORING.iterations);
const previewEvery = Number(process.env.PREVIEW_EVERY ?? 25);
const rounds = Number(process.env.ROUNDS ?? 3);
const backend = await selectBackend('wasm', undefined, { threads: Number(process.env.THREADS ?? os.cpus().length) });
const dcgan = buildDcgan({ size: 64, channels: 1, nf: 32, zdim: 100 }, 1);
const scoring = { ...DEFAULT_SCORING, iterations, useEncoder: false };
const images = syntheticTextures('wood', Math.max(...ns), { size: 64, seed: 3 }).map((s) => s.image);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
// What the worker's watch does per iteration: read the preview when there is one, hand each
// image its loss, and give the event loop a turn (the worker does that only while it has I/O
// in flight; here every iteration, the worst case).
const watched = (set: typeof images) =>
  measureImages(dcgan, null, set, scoring, {
    reconstructionEvery: previewEvery,
    onInversionProgress: async (_, p) => {
      if (p.reconstruction) await p.reconstruction.data();
      let sum = 0;
      p.losses.forEach((l) => void (sum += l));
      if (!Number.isFinite(sum)) throw new Error('non-finite loss');
      await new Promise<void>((r) => setImmediate(r));
    },
  });

console.log(`backend ${backend.kind} (threads ${backend.threads}, simd ${backend.simd}); size 64, nf 32, zdim 100, ${iterations} iterations, preview every ${previewEvery}, ${rounds} rounds`);
console.log(`loadavg ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
await measureImages(dcgan, null, images.slice(0, 1), { ...scoring, iterations: 5 }); // warm-up (kernels, wasm)
console.log('N | plain ms (median) | watched ms (median) | watched / plain');
for (const n of ns) {
  const set = images.slice(0, n);
  const plain: number[] = [];
  const watch: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternating order, so that a load change on the shared machine hits both alike.
    if (r % 2 === 0) {
      plain.push(await time(() => measureImages(dcgan, null, set, scoring)));
      watch.push(await time(() => watched(set)));
    } else {
      watch.push(await time(() => watched(set)));
      plain.push(await time(() => measureImages(dcgan, null, set, scoring)));
    }
  }
  console.log(`${n} | ${median(plain).toFixed(0)} | ${median(watch).toFixed(0)} | ${(median(watch) / median(plain)).toFixed(3)}`);
}
console.log(`loadavg ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
process.exit(0);
