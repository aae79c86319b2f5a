// Research: calibrate a trained patch model again (same validation folder, new combination of
// score kinds, e.g. after the library's default changed), without training anything.
// node --import tsx research/recalibrate-patch.ts --model DIR --validation-data DIR [--combine defectMap] [--iters 0] [--defect-map-flips 1|0] [--stride S]
// (--defect-map-flips: read the defect map over the four mirrorings, ADR 0063, or once; default: as the model says)
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listFolderDataset, loadFolderDataset } from '@gansight/imaging';
import { calibratePatchModel, defaultPatchCombineKinds, loadInspectionModel, saveInspectionModel, selectBackend, type ArtifactIO, type RawScoreKind } from '@gansight/ml';

const arg = (name: string, d?: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1]! : d; };
const io = (dir: string): ArtifactIO => ({
  async write(name, bytes) { await mkdir(dir, { recursive: true }); await writeFile(join(dir, `.${name}.tmp`), bytes); await rename(join(dir, `.${name}.tmp`), join(dir, name)); },
  read: async (name) => new Uint8Array(await readFile(join(dir, name))),
});
await selectBackend('wasm', undefined, { threads: 2 });
const dir = arg('model')!;
const model = await loadInspectionModel(io(dir));
const p = model.patch!;
if (arg('defect-map-flips') !== undefined) p.defectMapFlips = arg('defect-map-flips') === '1';
if (arg('stride') !== undefined) p.stride = Number(arg('stride'));
const fmt = { size: { scale: p.scale, minSide: p.patch }, channels: 1 as const, mode: 'resize' as const, intensity: (model.hyper.intensity as 'per-image') ?? 'per-image', concurrency: 4 };
const items = (await listFolderDataset(arg('validation-data')!)).filter((i) => i.split === 'train');
const validation = (await loadFolderDataset(items, fmt)).loaded.map((l) => l.image);
const combineKinds = (arg('combine')?.split(',') as RawScoreKind[] | undefined) ?? defaultPatchCombineKinds(p.defectMap !== null);
const c = model.calibration!;
const scoring = { ...c.scoring, ...(arg('iters') !== undefined ? { iterations: Number(arg('iters')) } : {}) };
model.calibration = await calibratePatchModel(model, validation, { scoring, falseAlarmRate: c.falseAlarmRate, combineKinds });
await saveInspectionModel(io(dir), model);
console.log(JSON.stringify({ model: dir, combineKinds, defectMapFlips: p.defectMapFlips === true, stride: p.stride, threshold: model.calibration.normalisation.threshold, validation: validation.length }));
process.exit(0);
