// Research: is the defect map's verdict limited by one network's whims? Trains N defect maps
// that differ only in their seed on one patch model's frozen GAN, reads every test image with
// each (once, and over the four mirrorings), and prints image AUROC on the tune/hold halves by
// tile for one map against the mean of k maps' probabilities. Compares equal costs: k maps read
// once against one map read over four mirrorings (ADR 0063).
// node --import tsx research/defect-map-ensemble.ts --model DIR --data DIR --tune research-out/mt-grouped-tune
//   [--maps 4 --steps 1000 --seed 0 --blur 1.5]
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { listFolderDataset, loadFolderDataset } from '@gansight/imaging';
import { auroc, buildDefectMapNet, encoderForward, loadInspectionModel, measurePatchImages, selectBackend, trainDefectMap, type ArtifactIO, type DefectMapNet } from '@gansight/ml';
import { disposeFrozenGenerator, freezeGenerator, frozenGeneratorForward, patchScoring } from '@gansight/ml/research';

const arg = (name: string, d?: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1]! : d; };
const dir = arg('model')!;
const io: ArtifactIO = { write: async () => { throw new Error('read only'); }, read: async (name) => new Uint8Array(await readFile(join(dir, name))) };
await selectBackend('wasm', undefined, { threads: 2 });
const model = await loadInspectionModel(io);
const p = model.patch!;
const fmt = { size: { scale: p.scale, minSide: p.patch }, channels: 1 as const, mode: 'resize' as const, intensity: (model.hyper.intensity as 'per-image') ?? 'per-image', concurrency: 4 };
const items = await listFolderDataset(arg('data')!);
const train = (await loadFolderDataset(items.filter((i) => i.split === 'train'), fmt)).loaded.map((l) => l.image);
const tuneDir = arg('tune')!;
const tuneSet = new Set(readdirSync(`${tuneDir}/test`).flatMap((t) => readdirSync(`${tuneDir}/test/${t}`).map((f) => `${t}/${f}`)));
const test = (await loadFolderDataset(items.filter((i) => i.split === 'test'), fmt)).loaded;
const labels = test.map((t) => t.label === 'defect');
const inTune = test.map((t) => tuneSet.has(t.path.split('/').slice(-2).join('/')));
const halfAuroc = (s: number[], want: boolean) => {
  const idx = s.map((_, i) => i).filter((i) => inTune[i] === want);
  return +auroc(idx.map((i) => s[i]!), idx.map((i) => labels[i]!)).toFixed(3);
};
const maps = Number(arg('maps', '4'));
const steps = Number(arg('steps', '1000'));
const seed0 = Number(arg('seed', '0'));
const scoring = { ...patchScoring({ scoring: { ...model.calibration!.scoring, iterations: 0 } }, p), ...(arg('blur') ? { mapBlur: Number(arg('blur')) } : {}) };

/** Per reading (once, four mirrorings), per image: the blurred defect map of each network. */
const read: Record<'once' | 'four', Float32Array[][]> = { once: [], four: [] };
for (let k = 0; k < maps; k++) {
  const net: DefectMapNet = buildDefectMapNet({ inputChannels: 2, nf: 8 }, seed0 + k);
  const frozen = freezeGenerator(model.dcgan.generator);
  const t0 = performance.now();
  await trainDefectMap(net, train, {
    steps, batchSize: 8, crop: p.patch, flips: p.flips, seed: seed0 + k,
    reconstruct: (x: tf.Tensor4D) => tf.tidy(() => frozenGeneratorForward(frozen, encoderForward(model.encoder!, x))),
  });
  disposeFrozenGenerator(frozen);
  process.stderr.write(`map ${k} (seed ${seed0 + k}) trained in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  for (const how of ['once', 'four'] as const) {
    model.patch = { ...p, defectMap: net, defectMapFlips: how === 'four' };
    const lot = await measurePatchImages(model, test.map((t) => t.image), scoring);
    read[how].push(lot.measurements.map((m) => m.defectMap!));
  }
}
// The blur is linear, so the mean of blurred maps is the blurred mean map; its maximum is the score.
const meanMax = (how: 'once' | 'four', nets: number[]) => test.map((_, i) => {
  const ms = nets.map((k) => read[how][k]![i]!);
  let best = -Infinity;
  for (let px = 0; px < ms[0]!.length; px++) {
    let s = 0;
    for (const m of ms) s += m[px]!;
    best = Math.max(best, s / ms.length);
  }
  return best;
});
for (const how of ['once', 'four'] as const) {
  for (let k = 1; k <= maps; k++) {
    // Every run of k consecutive seeds (cyclic), so each count is judged over several networks.
    const rows = Array.from({ length: maps }, (_, start) => Array.from({ length: k }, (_, j) => (start + j) % maps)).slice(0, k === maps ? 1 : maps);
    const tune = rows.map((nets) => halfAuroc(meanMax(how, nets), true));
    const hold = rows.map((nets) => halfAuroc(meanMax(how, nets), false));
    const mean = (v: number[]) => +(v.reduce((a, b) => a + b, 0) / v.length).toFixed(3);
    console.log(JSON.stringify({ reading: how, maps: k, readingsPerImage: k * (how === 'four' ? 4 : 1), tune, hold, tuneMean: mean(tune), holdMean: mean(hold) }));
  }
}
process.exit(0);
