// The patch nearest-neighbour baseline of ../shared/data/README.md on a folder dataset, alone:
// images at a short side of 128 px (grayscale, raw intensity), 16 px patches at stride 8, PCA 24,
// worst patch's distance to the nearest training patch. Prints image AUROC (and on the tune and
// hold halves of make-grouped-split.py when --tune names the tune half's folder) and the time.
// node --import tsx research/patch-nearest-neighbour.ts --data ../shared/data/magnetic-tile-by-tile [--short-side 128] [--tune research-out/mt-grouped-tune]
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { listFolderDataset, loadFolderDataset } from '@gansight/imaging';
import { auroc } from '@gansight/ml';
import { runPatchNearestNeighbour } from '@gansight/ml/research';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/magnetic-tile-by-tile' },
    'short-side': { type: 'string', default: '128' },
    epsilon: { type: 'string', default: '0.1' },
    components: { type: 'string', default: '24' },
    tune: { type: 'string' },
  },
});

let t0 = performance.now();
const items = await listFolderDataset(args.data);
const { loaded, skipped } = await loadFolderDataset(items, { size: { shortSide: Number(args['short-side']) }, channels: 1, concurrency: 4 });
for (const s of skipped) console.error(`skipped ${s.item.path}: ${s.error.message}`);
const train = loaded.filter((l) => l.split === 'train');
const test = loaded.filter((l) => l.split === 'test');
console.error(`loaded ${train.length} train and ${test.length} test images in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

t0 = performance.now();
const result = runPatchNearestNeighbour(
  train.map((t) => t.image),
  test.map((t) => ({ image: t.image, defective: t.label === 'defect', defectType: t.defectType })),
  { epsilon: Number(args.epsilon), components: Number(args.components) },
);
const seconds = (performance.now() - t0) / 1000;
const labels = test.map((t) => t.label === 'defect');
const halves: Record<string, number> = {};
if (args.tune) {
  const tuneNames = new Set<string>();
  for (const type of readdirSync(join(args.tune, 'test'))) for (const f of readdirSync(join(args.tune, 'test', type))) tuneNames.add(`${type}/${f}`);
  const inTune = test.map((t) => tuneNames.has(t.path.split('/').slice(-2).join('/')));
  for (const [half, want] of [['tune', true], ['hold', false]] as const) {
    const idx = test.map((_, i) => i).filter((i) => inTune[i] === want);
    halves[half] = auroc(idx.map((i) => result.testScores[i]!), idx.map((i) => labels[i]!));
    halves[`${half}_images`] = idx.length;
  }
  if (!existsSync(args.tune)) console.error(`no ${args.tune}`);
}
console.error(`patchNN AUROC ${result.auroc.toFixed(4)}  ${Object.entries(halves).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`).join('  ')}  F1 ${result.metrics.f1.toFixed(3)} at the training 95th percentile  ${seconds.toFixed(1)} s`);
console.log(JSON.stringify({
  data: args.data, shortSide: Number(args['short-side']), epsilon: Number(args.epsilon), train: train.length, test: test.length,
  auroc: result.auroc, ...halves, metrics: result.metrics, detection: result.detection, seconds,
}));
