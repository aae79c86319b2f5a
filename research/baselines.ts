// Table III-style baselines on a folder dataset (MVTec AD layout): PCA to 50 components, then a
// Gaussian mixture, a one-class SVM and a local outlier factor, each fitted on train/good and
// scored on test/*. Threshold: the 95th percentile of training scores (as baselines.json).
// Run: node --import tsx research/baselines.ts --data ../shared/data/magnetic-tile --size 64
// (--intensity per-image: the same on per-image standardised pixels, as gansight train's default)
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { listFolderDataset, loadFolderDataset } from '@gansight/imaging';
import { runBaselines } from '@gansight/ml/research';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/magnetic-tile' },
    size: { type: 'string', default: '64' },
    pca: { type: 'string', default: '50' },
    'gmm-components': { type: 'string', default: '6' },
    'gmm-restarts': { type: 'string', default: '5' },
    seed: { type: 'string', default: '0' },
    intensity: { type: 'string', default: 'raw' },
  },
});

const started = performance.now();
const items = await listFolderDataset(args.data);
const { loaded, skipped } = await loadFolderDataset(items, { size: Number(args.size), channels: 1, mode: 'resize', intensity: args.intensity === 'per-image' ? 'per-image' : 'raw', concurrency: 4 });
for (const s of skipped) console.error(`skipped ${s.item.path}: ${s.error.message}`);
const train = loaded.filter((l) => l.split === 'train').map((l) => l.image.data);
const test = loaded.filter((l) => l.split === 'test');
const loadSeconds = (performance.now() - started) / 1000;
console.error(`loaded ${train.length} train and ${test.length} test images in ${loadSeconds.toFixed(1)} s`);

const results = runBaselines(
  train,
  test.map((t) => ({ vector: t.image.data, defective: t.label === 'defect', defectType: t.defectType })),
  {
    pcaComponents: Number(args.pca),
    gmmComponents: Number(args['gmm-components']),
    gmmRestarts: Number(args['gmm-restarts']),
    seed: Number(args.seed),
  },
);

let reference: Record<string, { auroc: number; balanced_accuracy: number; accuracy: number }> = {};
try {
  reference = JSON.parse(await readFile(join(args.data, '..', 'baselines.json'), 'utf8'));
} catch {
  console.error('no baselines.json beside the data: printing our figures only');
}
const round = (v: number | undefined): number | null => (v === undefined ? null : Math.round(v * 10000) / 10000);
const table: Record<string, unknown> = {};
for (const r of results) {
  const ref = reference[r.name];
  console.error(
    `${r.name.padEnd(6)} AUROC ${r.auroc.toFixed(4)} (ref ${ref?.auroc ?? '-'})  balanced acc ${r.metrics.balancedAccuracy.toFixed(4)} (ref ${ref?.balanced_accuracy ?? '-'})  acc ${r.metrics.accuracy.toFixed(4)} (ref ${ref?.accuracy ?? '-'})  ${r.seconds.toFixed(1)} s`,
  );
  table[r.name] = {
    auroc: round(r.auroc),
    balanced_accuracy: round(r.metrics.balancedAccuracy),
    accuracy: round(r.metrics.accuracy),
    reference: ref ?? null,
    per_defect_detection: Object.fromEntries(Object.entries(r.detection).map(([k, v]) => [k, round(v.rate)])),
    seconds: round(r.seconds),
  };
}
console.log(
  JSON.stringify({
    data: args.data,
    size: Number(args.size),
    intensity: args.intensity,
    train: train.length,
    test_good: test.filter((t) => t.label === 'good').length,
    test_defect: test.filter((t) => t.label === 'defect').length,
    skipped: skipped.length,
    pca: Number(args.pca),
    gmm_components: Number(args['gmm-components']),
    seed: Number(args.seed),
    ...table,
    total_seconds: round((performance.now() - started) / 1000),
  }),
);
