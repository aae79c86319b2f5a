// The synthetic separation tests' setups (wood grain, solar-cell grid), run by hand to print
// every score kind's image AUROC, the three baselines and the pixel AUROC of each heat map
// (docs/results/notebook.md); the tests assert the bar, this shows the figures.
// Run: node --import tsx research/synthetic-scores.ts [wood|solar]
import { SCORE_KINDS, selectBackend } from '@gansight/ml';
import { runSyntheticInspection } from '@gansight/ml/research';

const kind = (process.argv[2] ?? 'wood') as 'wood' | 'solar';
await selectBackend('wasm', undefined, { threads: 1 });
const { model, report } = await runSyntheticInspection(kind);
console.log(`${kind}: combined = ${model.calibration!.combineKinds.join(' + ')}`);
console.log(SCORE_KINDS.map((k) => `${k} ${report.aurocByKind[k].toFixed(3)}`).join(' | '));
console.log((report.baselines ?? []).map((b) => `${b.name} ${b.auroc.toFixed(3)}`).join(' | '));
console.log(`pixel AUROC: residual ${report.pixelAuroc?.toFixed(3)}, standardised ${report.pixelAurocStandardised?.toFixed(3)}, local density ${report.pixelAurocLocalDensity?.toFixed(3)}`);
const m = report.calibrated.metrics;
console.log(`calibrated: recall ${m.recall.toFixed(3)}, false alarms ${report.calibrated.detection.good?.rate.toFixed(3)}`);
