// Research: retrain only the defect map of a trained patch model with other settings, then
// score a folder's test images (AUROC of defectMap on the tune/hold halves by tile when a
// halves list is given). The GAN and encoder stay as trained, so settings compare on one GAN.
// node --import tsx research/retrain-defect-map.ts --model DIR --data DIR --out DIR
//   [--half tune|hold|both] [--share 0.7 (crops given a defect)] [--nf 8 --steps 1000 --batch 8 --input both|image --tune research-out/mt-grouped-tune --iters 0 --seed 0]
//   [--eval-at 1000,2000]: also score the test images after those steps (one line each; Adam's
//   rate is constant, so step k of a longer run is the same network as a run of k steps)
//   [--swa-from 500 --swa-every 50]: also score the running average of the weights taken every
//   50 steps from step 500 on (stochastic weight averaging; a line with "swa": true)
//   [--blur 1.5,3]: the blur of the map before its maximum (one line each; default the model's)
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { listFolderDataset, loadFolderDataset } from '@gansight/imaging';
import { auroc, buildDefectMapNet, defectMapVariables, encoderForward, loadInspectionModel, measurePatchImages, saveInspectionModel, selectBackend, trainDefectMap, type ArtifactIO } from '@gansight/ml';
import { disposeFrozenGenerator, freezeGenerator, frozenGeneratorForward, patchScoring } from '@gansight/ml/research';
import { readdirSync } from 'node:fs';

const arg = (name: string, d?: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1]! : d; };
const io = (dir: string): ArtifactIO => ({
  async write(name, bytes) { await mkdir(dir, { recursive: true }); await writeFile(join(dir, `.${name}.tmp`), bytes); await rename(join(dir, `.${name}.tmp`), join(dir, name)); },
  read: async (name) => new Uint8Array(await readFile(join(dir, name))),
});
await selectBackend('wasm', undefined, { threads: 2 });
const model = await loadInspectionModel(io(arg('model')!));
const p = model.patch!;
const fmt = { size: { scale: p.scale, minSide: p.patch }, channels: 1 as const, mode: 'resize' as const, intensity: (model.hyper.intensity as 'per-image') ?? 'per-image', concurrency: 4 };
const items = await listFolderDataset(arg('data')!);
const train = (await loadFolderDataset(items.filter((i) => i.split === 'train'), fmt)).loaded.map((l) => l.image);
const tuneDir = arg('tune');
const tune = tuneDir ? new Set(readdirSync(`${tuneDir}/test`).flatMap((t) => readdirSync(`${tuneDir}/test/${t}`).map((f) => `${t}/${f}`))) : null;
const half = arg('half', 'tune');
const inTune = (i: { path: string }) => !!tune && tune.has(i.path.split('/').slice(-2).join('/'));
const testItems = items.filter((i) => i.split === 'test' && (!tune || half === 'both' || inTune(i) === (half === 'tune')));

const test = (await loadFolderDataset(testItems, fmt)).loaded;
const input = arg('input', 'both');
const nf = Number(arg('nf', '8'));
const steps = Number(arg('steps', '1000'));
const seed = Number(arg('seed', '0'));
const net = buildDefectMapNet({ inputChannels: input === 'both' ? 2 : 1, nf }, seed);
const labels = test.map((t) => t.label === 'defect');
const tuneMask = test.map(inTune);
const types = [...new Set(test.map((t) => t.defectType).filter((t): t is string => t !== null))].sort();
const byType = (s: number[]) => Object.fromEntries(types.map((ty) => {
  const idx = test.map((t, i) => (t.defectType === ty || t.label === 'good' ? i : -1)).filter((i) => i >= 0);
  return [ty, +auroc(idx.map((i) => s[i]!), idx.map((i) => labels[i]!)).toFixed(3)];
}));
/** AUROC on each half when both were scored (--half both). */
const halves = (s: number[]) => {
  const on = (want: boolean) => { const idx = s.map((_, i) => i).filter((i) => tuneMask[i] === want); return +auroc(idx.map((i) => s[i]!), idx.map((i) => labels[i]!)).toFixed(3); };
  return { tune: on(true), hold: on(false) };
};
const scoring = patchScoring({ scoring: { ...model.calibration!.scoring, iterations: Number(arg('iters', '0')) } }, p);
const blurs = (arg('blur') ?? String(scoring.mapBlur)).split(',').map(Number);
const evalAt = new Set((arg('eval-at') ?? '').split(',').filter(Boolean).map(Number));
const swaFrom = Number(arg('swa-from', '0'));
const swaEvery = Number(arg('swa-every', '50'));
const avgNet = swaFrom > 0 ? buildDefectMapNet(net.config, seed) : null;
let swaCount = 0;
function swaUpdate(stepsDone: number) {
  if (!avgNet || stepsDone < swaFrom || (stepsDone - swaFrom) % swaEvery !== 0) return;
  swaCount++;
  const from = defectMapVariables(net);
  defectMapVariables(avgNet).forEach((a, i) => a.assign(tf.tidy(() => tf.add(a, tf.div(tf.sub(from[i]!, a), swaCount)))));
}
async function score(stepsDone: number, trainSeconds: number) {
  if (avgNet && swaCount > 0) await scoreWith(avgNet, true, stepsDone, trainSeconds);
  await scoreWith(net, false, stepsDone, trainSeconds);
}
async function scoreWith(which: typeof net, swa: boolean, stepsDone: number, trainSeconds: number) {
  model.patch = { ...p, defectMap: which };
  for (const blur of blurs) {
    const lot = await measurePatchImages(model, test.map((t) => t.image), { ...scoring, mapBlur: blur });
    const dm = lot.raw.map((r) => r.defectMap);
    console.log(JSON.stringify({ half: tune ? half : 'all', input, nf, steps: stepsDone, swa, blur, seed, trainSeconds: Math.round(trainSeconds), images: test.length, defectMap: +auroc(dm, labels).toFixed(3), residualMax: +auroc(lot.raw.map((r) => r.residualMax), labels).toFixed(3), byType: byType(dm), ...(half === 'both' ? halves(dm) : {}) }));
  }
}
const frozen = freezeGenerator(model.dcgan.generator);
const t0 = performance.now();
let evalSeconds = 0;
await trainDefectMap(net, train, {
  steps, batchSize: Number(arg('batch', '8')), crop: Number(arg('crop', String(p.patch))), flips: p.flips, seed, ...(arg('lr') ? { lr: Number(arg('lr')) } : {}), ...(arg('share') ? { defectShare: Number(arg('share')) } : {}),
  ...(input === 'both' ? { reconstruct: (x: tf.Tensor4D) => tf.tidy(() => frozenGeneratorForward(frozen, encoderForward(model.encoder!, x))) } : {}),
  onStep: async (s, l) => {
    swaUpdate(s);
    if (s % 250 === 0) process.stderr.write(`step ${s} loss ${l.toFixed(4)} ${((performance.now() - t0) / 1000).toFixed(0)}s\n`);
    if (evalAt.has(s) && s < steps) {
      const e0 = performance.now();
      await score(s, (e0 - t0) / 1000 - evalSeconds);
      evalSeconds += (performance.now() - e0) / 1000;
    }
  },
});
disposeFrozenGenerator(frozen);
await score(steps, (performance.now() - t0) / 1000 - evalSeconds);
if (arg('out')) await saveInspectionModel(io(arg('out')!), { ...model, calibration: model.calibration });
process.exit(0);
