// The synthetic separation tests' setups (wood grain, solar-cell grid), run by hand to print
// every score kind's image AUROC, the three baselines and the pixel AUROC of each heat map
// (docs/RESULTS.md); the tests assert the bar, this shows the figures.
// Run: node --import tsx packages/ml/bench/synthetic-scores.ts [wood|solar]
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/select-backend';
import { buildDcgan } from '../src/dcgan/dcgan-model';
import { trainGan } from '../src/dcgan/train-gan';
import { DEFAULT_SCORING, SCORE_KINDS } from '../src/pipeline/inspection-model';
import { finishInspectionModel } from '../src/pipeline/finish-inspection-model';
import { evaluateInspection } from '../src/pipeline/evaluate-inspection';
import { PLANTED_DEFECTS, syntheticTextures } from '../src/pipeline/synthetic-textures';

const kind = (process.argv[2] ?? 'wood') as 'wood' | 'solar';
// The same seeds, sizes and settings as synthetic-separation(.solar).test.ts.
const seeds = kind === 'wood' ? { train: 1, val: 2, test: 3, n: 72, defects: undefined } : { train: 11, val: 12, test: 13, n: 80, defects: PLANTED_DEFECTS };
const SIZE = 32;
await selectBackend('wasm', undefined, { threads: 1 });
const test = syntheticTextures(kind, seeds.n, { size: SIZE, seed: seeds.test, defectRate: 0.5, ...(seeds.defects ? { defects: seeds.defects } : {}) });
const train = syntheticTextures(kind, 256, { size: SIZE, seed: seeds.train });
const validation = syntheticTextures(kind, 32, { size: SIZE, seed: seeds.val });
const dcgan = buildDcgan({ size: SIZE, nf: 16, zdim: 32, channels: 1 }, 0);
const x = tf.tensor4d(Float32Array.from(train.flatMap((t) => Array.from(t.image.data))), [train.length, SIZE, SIZE, 1]);
await trainGan(dcgan, x, { steps: 100, batchSize: 32, seed: 0 });
x.dispose();
const model = await finishInspectionModel(dcgan, train.map((t) => t.image), validation.map((t) => t.image), {
  encoderSteps: 0, scoring: { ...DEFAULT_SCORING, iterations: 40, useEncoder: false, residualBlur: 1 }, falseAlarmRate: 0.05, seed: 0,
});
const { report } = await evaluateInspection(
  model,
  test.map((t, i) => ({ image: t.image, defective: t.defect !== null, defectType: t.defect, mask: t.mask, name: `t${i}` })),
  { baselineTrain: train.map((t) => t.image.data), baselineOptions: { pcaComponents: 20 } },
);
console.log(`${kind}: combined = ${model.calibration!.combineKinds.join(' + ')}`);
console.log(SCORE_KINDS.map((k) => `${k} ${report.aurocByKind[k].toFixed(3)}`).join(' | '));
console.log((report.baselines ?? []).map((b) => `${b.name} ${b.auroc.toFixed(3)}`).join(' | '));
console.log(`pixel AUROC: residual ${report.pixelAuroc?.toFixed(3)}, standardised ${report.pixelAurocStandardised?.toFixed(3)}, local density ${report.pixelAurocLocalDensity?.toFixed(3)}`);
const m = report.calibrated.metrics;
console.log(`calibrated: recall ${m.recall.toFixed(3)}, false alarms ${report.calibrated.detection.good?.rate.toFixed(3)}`);
