// Per-image scores of the patch nearest-neighbour baseline (../shared/data/README.md's recipe):
// every test image and every calibration image, by name, as JSON, so research/fuse-patch-nn.py
// can join them with a model's own per-image scores.
// node --import tsx research/patch-nn-scores.ts --data ../shared/data/magnetic-tile-by-tile --calibration ../shared/data/magnetic-tile-by-tile-calibration > scores.json
import { parseArgs } from 'node:util';
import { listFolderDataset, loadFolderDataset } from '@gansight/imaging';
import { fitPatchNearestNeighbour, scorePatchNearestNeighbour } from '@gansight/ml/research';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/magnetic-tile-by-tile' },
    calibration: { type: 'string', default: '../shared/data/magnetic-tile-by-tile-calibration' },
    'short-side': { type: 'string', default: '128' },
  },
});
const load = async (folder: string) => {
  const { loaded } = await loadFolderDataset(await listFolderDataset(folder), { size: { shortSide: Number(args['short-side']) }, channels: 1, concurrency: 4 });
  return loaded;
};
const data = await load(args.data);
const calibration = (await load(args.calibration)).filter((l) => l.split === 'train');
const train = data.filter((l) => l.split === 'train');
const test = data.filter((l) => l.split === 'test');
const t0 = performance.now();
const model = fitPatchNearestNeighbour(train.map((t) => t.image));
const name = (p: string) => p.split('/').slice(-2).join('/');
const testScores = scorePatchNearestNeighbour(model, test.map((t) => t.image));
const calibrationScores = scorePatchNearestNeighbour(model, calibration.map((t) => t.image));
console.error(`scored ${test.length} test and ${calibration.length} calibration images in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
console.log(JSON.stringify({
  test: Object.fromEntries(test.map((t, i) => [name(t.path), testScores[i]])),
  calibration: Object.fromEntries(calibration.map((t, i) => [name(t.path), calibrationScores[i]])),
}));
