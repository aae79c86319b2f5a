// `gansight evaluate`: scores test/ of a folder dataset with a trained model, prints a table and
// writes report.json plus pictures (reconstructions with heat maps, t-SNE, interpolation strips).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listFolderDataset, loadFolderDataset, type DatasetItem, type FloatImage, type LoadedItem } from '@gansight/imaging';
import {
  calibrationShortfall, checkGenerator, evaluateInspection, interpolationImages, loadInspectionModel, renderScatter, selectBackend, stepCrops,
  type BackendPreference, type EvaluationReport, type InspectionModel, type LotInspection,
} from '@gansight/ml';
import { describeThresholdSetting } from './describe-threshold-setting';
import { interpolationFigure, reconstructionFigure, TSNE_COLOURS, TSNE_LAYOUT, tsneFigure } from './evaluation-pictures';
import { modelPreprocessing } from './model-preprocessing';
import { folderArtifactIO, numberFlag } from './train';

export interface EvaluateCommandOptions {
  model: string;
  data: string;
  out?: string;
  invIters?: string;
  encoder: boolean;
  baselines: boolean;
  limit?: string;
  tsneSamples: string;
  backend: string;
  threads: string;
}

/** The patch nearest-neighbour baseline's image size (short side, px): the README's recipe. */
const PATCH_BASELINE_SHORT_SIDE = 128;

const fmt = (v: number | null | undefined, d = 3) => (v === null || v === undefined ? '-' : v.toFixed(d));

/**
 * A few images of each group (the first `perGroup`) as rows of the reconstruction figure, with
 * one residual colour scale for all of them; the defect map is a probability, fixed at [0, 1].
 */
async function reconstructionPicture(test: LoadedItem[], report: EvaluationReport, inspection: LotInspection, perGroup: number, box: number): Promise<Buffer> {
  const { residualMaps, reconstructions } = inspection.measurements;
  const picked: number[] = [];
  const seen: Record<string, number> = {};
  test.forEach((t, i) => {
    const g = t.defectType ?? 'good';
    if ((seen[g] = (seen[g] ?? 0) + 1) <= perGroup) picked.push(i);
  });
  const local = inspection.defectMaps ?? inspection.localDensityMaps;
  const highest = (maps: Float32Array[]) => picked.reduce((hi, i) => maps[i]!.reduce((m, v) => Math.max(m, v), hi), 0);
  return reconstructionFigure(
    picked.map((i) => ({
      image: test[i]!.image, reconstruction: reconstructions![i]!, residual: residualMaps[i]!, map: local ? local[i]! : null,
      group: test[i]!.defectType ?? 'good', name: report.items[i]!.name, normalisedScore: report.items[i]!.normalisedScore, anomalous: report.items[i]!.anomalous,
    })),
    {
      box, residualRange: [0, highest(residualMaps)],
      mapTitle: inspection.defectMaps ? 'defect map' : local ? 'local density' : null,
      mapScale: inspection.defectMaps ? 'defect probability' : 'Mahalanobis distance',
      mapRange: inspection.defectMaps ? [0, 1] : local ? [0, highest(local)] : null,
    },
  );
}

/** Crops [n, p, p, c] as separate images. */
function sliceImages(all: Float32Array, p: number, channels: 1 | 3): FloatImage[] {
  const px = p * p * channels;
  return Array.from({ length: all.length / px }, (_, i) => ({ width: p, height: p, channels, data: all.slice(i * px, (i + 1) * px) }));
}

function printTable(r: EvaluationReport): void {
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(`\nimages: ${r.counts.qualified} qualified, ${r.counts.defective} defective (${Object.entries(r.counts.byType).map(([k, v]) => `${k} ${v}`).join(', ')})`);
  out('\nimage AUROC by score');
  for (const k of r.kinds) out(`  ${k.padEnd(20)} ${fmt(r.aurocByKind[k])}`);
  for (const b of r.baselines ?? []) out(`  baseline ${b.name.padEnd(11)} ${fmt(b.auroc)}   (accuracy ${fmt(b.metrics.accuracy)}, F1 ${fmt(b.metrics.f1)}, ${b.seconds.toFixed(1)} s)`);
  const m = r.calibrated.metrics;
  out(`\ncalibrated threshold (${describeThresholdSetting(r.calibrated.setting)}): accuracy ${fmt(m.accuracy)}  balanced ${fmt(m.balancedAccuracy)}  precision ${fmt(m.precision)}  recall ${fmt(m.recall)}  F1 ${fmt(m.f1)}`);
  out(`  confusion: TP ${m.truePositives}  FP ${m.falsePositives}  TN ${m.trueNegatives}  FN ${m.falseNegatives}`);
  const good = r.calibrated.detection.good;
  if (good) out(`  false alarms on these qualified images: ${fmt(100 * good.rate, 1)}% (${good.flagged}/${good.count}) against the calibration's target of ${fmt(100 * r.calibrated.falseAlarmRate, 1)}%`);
  const shortfall = calibrationShortfall(r.calibrated.setting);
  if (shortfall) out(`  warning: ${shortfall}`);
  out(`best F1 on these labels (upper bound): ${fmt(r.f1Optimal.metrics.f1)} at accuracy ${fmt(r.f1Optimal.metrics.accuracy)}`);
  out('\nper type: detection rate at the calibrated threshold | latent Frechet distance to the qualified reference');
  for (const [type, d] of Object.entries(r.calibrated.detection)) out(`  ${type.padEnd(10)} ${fmt(d.rate)} (${d.flagged}/${d.count})  FD ${fmt(r.frechetByType[type], 2)}`);
  if (r.baselines?.length) {
    out('baselines per type, at the 95th percentile of their training scores:');
    for (const b of r.baselines) out(`  ${b.name.padEnd(10)} ${Object.entries(b.detection).map(([type, d]) => `${type} ${fmt(d.rate, 2)}`).join('  ')}`);
  }
  out(`\npixel AUROC of residual maps: ${fmt(r.pixelAuroc)} (per-pixel standardised band-pass maps: ${fmt(r.pixelAurocStandardised)}; local feature density maps: ${fmt(r.pixelAurocLocalDensity)}; defect maps: ${fmt(r.pixelAurocDefectMap)})`);
}

/** `gansight evaluate --model MODEL_DIR --data DIR [--out REPORT_DIR]`. */
export async function evaluateCommand(o: EvaluateCommandOptions): Promise<void> {
  const backend = await selectBackend(o.backend as BackendPreference, (m) => process.stderr.write(`${m}\n`), { threads: numberFlag(o.threads, '--threads', { min: 1, integer: true }) });
  const outDir = o.out ?? join(o.model, 'report');
  await mkdir(outDir, { recursive: true });
  const model: InspectionModel = await loadInspectionModel(folderArtifactIO(o.model));
  if (!model.calibration) {
    process.stderr.write(`${o.model} is not calibrated: run gansight train --resume with the same flags to finish it.\n`);
    process.exit(2);
  }
  const calibrated = { ...model.calibration.scoring };
  if (o.invIters !== undefined) model.calibration.scoring.iterations = numberFlag(o.invIters, '--inv-iters', { min: 0, integer: true });
  if (!o.encoder) model.calibration.scoring.useEncoder = false;
  if (calibrated.iterations !== model.calibration.scoring.iterations || calibrated.useEncoder !== model.calibration.scoring.useEncoder) {
    // Score statistics and thresholds belong to the calibration's inversion settings: AUROC
    // still compares, verdicts and normalised scores do not.
    process.stderr.write(`warning: calibrated with ${calibrated.iterations} iterations${calibrated.useEncoder ? ' from the encoder' : ''}; thresholds and verdicts are off for other settings, AUROC is not\n`);
  }
  const items = await listFolderDataset(o.data);
  const limit = o.limit === undefined ? Infinity : numberFlag(o.limit, '--limit', { min: 1, integer: true });
  // --limit takes evenly spaced images of each group: the first N of a sorted folder can all
  // come from one capture session and bias the figures.
  const groups: Record<string, typeof items> = {};
  for (const i of items) if (i.split === 'test') (groups[i.defectType ?? 'good'] ??= []).push(i);
  const testItems = Object.values(groups).flatMap((g) => {
    const n = Math.min(limit, g.length);
    return Array.from({ length: n }, (_, k) => g[Math.floor((k * g.length) / n)]!);
  });
  const load = (list: typeof items) => loadFolderDataset(list, { ...modelPreprocessing(model), concurrency: 4 });
  const { loaded: test, skipped } = await load(testItems);
  const { loaded: train } = await load(items.filter((i) => i.split === 'train'));
  // The baselines read every image at one fixed size (64 px, as in BENCHMARK and the shared
  // baselines); a patch model's own inputs differ in size from image to image.
  const baselineFormat = { ...modelPreprocessing(model), size: 64, mode: 'resize' as const, concurrency: 4 };
  const baselineData = o.baselines && model.patch
    ? { train: (await loadFolderDataset(items.filter((i) => i.split === 'train'), baselineFormat)).loaded, test: (await loadFolderDataset(test, baselineFormat)).loaded }
    : null;
  // The patch nearest-neighbour baseline reads every image at a short side of 128 px, raw
  // intensity (its patches are standardised one by one), as ../shared/data/README.md measured it.
  const patchFormat = { size: { shortSide: PATCH_BASELINE_SHORT_SIDE }, channels: model.dcgan.config.channels as 1 | 3, mode: 'resize' as const, concurrency: 4 };
  const withoutMasks = (list: DatasetItem[]) => list.map((i) => ({ ...i, maskPath: null }));
  const patchData = o.baselines
    ? { train: (await loadFolderDataset(withoutMasks(items.filter((i) => i.split === 'train')), patchFormat)).loaded, test: (await loadFolderDataset(withoutMasks(test), patchFormat)).loaded }
    : null;
  for (const s of skipped) process.stderr.write(`skipped ${s.item.path}: ${s.error.message}\n`);
  process.stderr.write(`evaluating ${test.length} test images (${model.calibration.scoring.iterations} inversion iterations, ${model.calibration.scoring.useEncoder ? 'encoder start' : 'random start'}, ${backend.kind})\n`);

  const { report, inspection } = await evaluateInspection(
    model,
    test.map((t) => ({ image: t.image, defective: t.label === 'defect', defectType: t.defectType, mask: t.mask, name: t.path.split('/').slice(-2).join('/') })),
    {
      keepReconstructions: true,
      ...(o.baselines ? { baselineTrain: (baselineData?.train ?? train).map((t) => t.image.data) } : {}),
      ...(baselineData ? { baselineTest: baselineData.test.map((t) => t.image.data) } : {}),
      ...(patchData ? { patchBaseline: { train: patchData.train.map((t) => t.image), test: patchData.test.map((t) => t.image) } } : {}),
      onProgress: (d, n) => process.stderr.write(`\rinverted ${d}/${n}`),
    },
  );
  process.stderr.write('\n');
  const tsneCount = numberFlag(o.tsneSamples, '--tsne-samples', { min: 2, integer: true });
  // A patch model's generator draws tiles: compare with random crops of the training images.
  const real = model.patch
    ? sliceImages(stepCrops(train.map((t) => t.image), tsneCount, { patch: model.patch.patch, flips: false }, 0, 0), model.patch.patch, model.dcgan.config.channels as 1 | 3)
    : train.slice(0, tsneCount).map((t) => t.image);
  const check = await checkGenerator(model, real, { samples: tsneCount });
  printTable(report);
  process.stdout.write(`generator check: latent Frechet distance of inverted generated samples to the qualified reference ${fmt(check.frechetGeneratedVsQualified, 2)}\n`);

  // Whole-image models' 64-px inputs are drawn at 128 px so the column titles fit above them.
  await writeFile(join(outDir, 'reconstructions.png'), await reconstructionPicture(test, report, inspection, 2, model.patch ? 192 : 128));
  const points = (source: 'real' | 'generated') => check.tsne.points.filter((_, i) => check.tsne.source[i] === source);
  const plot = renderScatter([
    { points: points('real'), colour: [...TSNE_COLOURS.real] },
    { points: points('generated'), colour: [...TSNE_COLOURS.generated] },
  ], TSNE_LAYOUT.plot);
  await writeFile(join(outDir, 'tsne.png'), await tsneFigure(plot, {
    realCount: points('real').length, generatedCount: points('generated').length,
    realLabel: model.patch ? 'real (training crops)' : 'real (training images)', frechet: check.frechetGeneratedVsQualified,
  }));
  const latents = inspection.measurements.latents;
  const good = test.map((t, i) => (t.label === 'good' ? i : -1)).filter((i) => i >= 0);
  const worst = report.items.map((it, i) => ({ i, s: it.scores.combined })).filter(({ i }) => test[i]!.label === 'defect').sort((a, b) => b.s - a.s)[0];
  const strips: Array<[string, number, number]> = [];
  if (good.length >= 2) strips.push(['interpolation-good.png', good[0]!, good[1]!]);
  if (good.length >= 1 && worst) strips.push(['interpolation-defect.png', good[0]!, worst.i]);
  for (const [name, a, b] of strips) {
    const images = interpolationImages(model.dcgan, latents[a]!, latents[b]!, 64).map((im) => ({ ...im, channels: im.channels as 1 | 3 }));
    await writeFile(join(outDir, name), await interpolationFigure(images, { from: report.items[a]!.name, to: report.items[b]!.name, meanTile: Boolean(model.patch) }));
  }
  const json = {
    model: o.model, data: o.data, backend: backend.kind, scoring: model.calibration.scoring, combineKinds: model.calibration.combineKinds,
    ...report,
    generatorCheck: { frechetGeneratedVsQualified: check.frechetGeneratedVsQualified, tsne: check.tsne },
    interpolations: strips.map(([name, a, b]) => ({ file: name, from: report.items[a]!.name, to: report.items[b]!.name })),
  };
  await writeFile(join(outDir, 'report.json'), `${JSON.stringify(json, null, 1)}\n`);
  process.stderr.write(`wrote ${join(outDir, 'report.json')} and pictures\n`);
}
