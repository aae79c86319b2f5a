// Research: does averaging the defect map over the image's flips (test-time augmentation) or
// scoring its top-k mean instead of its maximum rank defects better? Scores a trained patch
// model's test images as inspection does, once per flip (none, left-right, up-down, both), each
// map flipped back before averaging; prints image AUROC of max and top-k for 1 and 4 flips and
// pixel AUROC against ground_truth/, on the tune and hold halves by tile.
// node --import tsx research/defect-map-tta.ts [--mode input [--two]] [--stride S] --model DIR --data ../shared/data/magnetic-tile-by-tile --tune /tmp/mt-grouped-tune
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listFolderDataset, loadFolderDataset } from '@gansight/imaging';
import * as tf from '@tensorflow/tfjs';
import { auroc, defectMapProbabilities, loadInspectionModel, measurePatchImages, selectBackend, type ArtifactIO } from '@gansight/ml';
import { defectMapOverFlips, gaussianBlur, maxValue, patchScoring, pixelAuroc, topKMean } from '@gansight/ml/research';

const arg = (name: string, d?: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1]! : d; };
const io = (dir: string): ArtifactIO => ({ write: async () => { throw new Error('read only'); }, read: async (name) => new Uint8Array(await readFile(join(dir, name))) });
await selectBackend('wasm', undefined, { threads: 2 });
const model = await loadInspectionModel(io(arg('model')!));
const p = model.patch!;
// --stride S: tile the images at another stride than the model's (64 = no overlap at 64-px patches).
if (arg('stride')) p.stride = Number(arg('stride'));
// Each reading is made here, so inspection reads the map once whatever the model says (ADR 0063).
p.defectMapFlips = false;
const fmt = { size: { scale: p.scale, minSide: p.patch }, channels: 1 as const, mode: 'resize' as const, intensity: (model.hyper.intensity as 'per-image') ?? 'per-image', concurrency: 4 };
const items = (await listFolderDataset(arg('data')!)).filter((i) => i.split === 'test');
const test = (await loadFolderDataset(items, fmt)).loaded;
const tuneDir = arg('tune')!;
const tune = new Set(readdirSync(`${tuneDir}/test`).flatMap((t) => readdirSync(`${tuneDir}/test/${t}`).map((f) => `${t}/${f}`)));
const inTune = test.map((t) => tune.has(t.path.split('/').slice(-2).join('/')));
const labels = test.map((t) => t.label === 'defect');
const scoring = patchScoring({ scoring: model.calibration!.scoring }, p);

type Img = { width: number; height: number; channels: number; data: Float32Array };
/** Mirrors an H x W map (or single-channel image) left-right and/or up-down; its own inverse. */
const flip = (data: Float32Array, w: number, h: number, lr: boolean, ud: boolean) => {
  const out = new Float32Array(data.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = data[(ud ? h - 1 - y : y) * w + (lr ? w - 1 - x : x)]!;
  return out;
};
const flips = [[false, false], [true, false], [false, true], [true, true]] as const;
const half = (scores: number[], want: boolean | null) => {
  const idx = scores.map((_, i) => i).filter((i) => want === null || inTune[i] === want);
  return +auroc(idx.map((i) => scores[i]!), idx.map((i) => labels[i]!)).toFixed(3);
};
const pixel = (maps: Float32Array[], want: boolean | null) => {
  const idx = maps.map((_, i) => i).filter((i) => (want === null || inTune[i] === want) && (test[i]!.label === 'good' || test[i]!.mask));
  const total = idx.reduce((n, i) => n + maps[i]!.length, 0);
  const all = new Float32Array(total);
  const masks = new Uint8Array(total);
  let at = 0;
  for (const i of idx) { all.set(maps[i]!, at); if (test[i]!.mask) masks.set(test[i]!.mask!, at); at += maps[i]!.length; }
  return +pixelAuroc(all, masks).toFixed(3);
};
const row = (name: string, maps: Float32Array[]) => {
  const mx = maps.map((m) => maxValue(m));
  const tk = maps.map((m) => topKMean(m, scoring.topKFraction));
  console.log(JSON.stringify({ model: arg('model'), maps: name, max: { tune: half(mx, true), hold: half(mx, false), all: half(mx, null) }, topK: { tune: half(tk, true), hold: half(tk, false), all: half(tk, null) }, pixel: { tune: pixel(maps, true), hold: pixel(maps, false), all: pixel(maps, null) } }));
};
// --mode input: reconstruct once, then run only the defect map on the four flips of (image,
// reconstruction) as one batch; --mode full (default): the whole inspection once per flip.
if (arg('mode', 'full') === 'input') {
  const two = process.argv.includes('--two');
  const lot = await measurePatchImages(model, test.map((t) => t.image), scoring);
  const one: Float32Array[] = [];
  const four: Float32Array[] = [];
  const t1 = performance.now();
  for (const [i, m] of lot.measurements.entries()) {
    const { width: w, height: h } = m;
    one.push(m.defectMap!);
    const probs = tf.tidy(() => {
      const x = tf.concat([tf.tensor4d(test[i]!.image.data as Float32Array, [1, h, w, 1]), tf.tensor4d(m.reconstruction, [1, h, w, 1])], 3);
      if (two) {
        // --two: the image and its left-right mirror only (half the cost of four).
        const pr = defectMapProbabilities(model.patch!.defectMap!, tf.concat([x, tf.reverse(x, 2)], 0) as tf.Tensor4D);
        return tf.mean(tf.stack([pr.slice(0, 1), tf.reverse(pr.slice(1, 1), 2)]), 0);
      }
      return defectMapOverFlips(model.patch!.defectMap!, x as tf.Tensor4D); // what inspection does (ADR 0063)
    });
    four.push(gaussianBlur((await probs.data()) as Float32Array, h, w, scoring.mapBlur));
    probs.dispose();
  }
  process.stderr.write(`flipped defect maps: ${((performance.now() - t1) / 1000 / test.length).toFixed(3)} s per image beyond the inspection (${(lot.seconds / test.length).toFixed(3)} s)\n`);
  row('one', one);
  row(two ? 'the input and its left-right mirror' : 'four flips of the defect map\'s input', four);
  process.exit(0);
}
const sums = test.map((t) => new Float32Array(t.image.width * t.image.height));
const single: Float32Array[] = [];
const t0 = performance.now();
for (const [k, [lr, ud]] of flips.entries()) {
  const images: Img[] = test.map((t) => ({ ...t.image, data: flip(t.image.data as Float32Array, t.image.width, t.image.height, lr, ud) }));
  const lot = await measurePatchImages(model, images, scoring);
  lot.measurements.forEach((m, i) => {
    const back = flip(m.defectMap!, m.width, m.height, lr, ud);
    if (k === 0) single.push(back);
    const s = sums[i]!;
    for (let j = 0; j < s.length; j++) s[j]! += back[j]! / flips.length;
  });
  process.stderr.write(`flip ${k + 1}/4 done, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
}
row('one', single);
row('four flips', sums);
process.exit(0);
