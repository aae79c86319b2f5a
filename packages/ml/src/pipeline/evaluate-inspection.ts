// Evaluation on labelled test images: per-score AUROC, metrics at the calibrated threshold,
// per-defect detection rates and latent Frechet distances (paper Tables I, II), pixel AUROC of
// the residual maps, and the three baselines on the same split (Table III) plus the patch
// nearest-neighbour baseline of the shared data README.
import {
  auroc, classificationMetrics, detectionRateByType, f1OptimalThreshold, fitGaussian, frechetDistance, pixelAuroc,
  predictAnomalous, runBaselines, runPatchNearestNeighbour, type BaselineOptions, type ClassificationMetrics, type DetectionRate,
  type PatchImage, type Vectors,
} from '../analysis';
import { SCORE_KINDS, thresholdSettingOf, type InspectionModel, type ScoreKind, type ThresholdSetting } from './inspection-model';
import { inspectImages, type LotInspection } from './inspect-images';
import { calibrationGaussian } from './latent-reference';
import type { PipelineImage } from './measure-images';
import { PipelineError } from './pipeline-error';
import { standardiseMap } from './residual-map';
import { PATCH_SCORE_KINDS } from '../patch/inspect-patch-images';

export interface LabelledImage {
  image: PipelineImage;
  defective: boolean;
  /** Defect folder name; null for qualified images. */
  defectType: string | null;
  /** Pixel mask (1 = defect, H*W) when known; qualified images count as all zeros. */
  mask: Uint8Array | null;
  name?: string;
}

export interface BaselineSummary {
  /** 'gmm', 'ocsvm', 'lof' (PCA of 64-px images) or 'patchNN' (patch nearest neighbour). */
  name: string;
  auroc: number;
  metrics: ClassificationMetrics;
  detection: Record<string, DetectionRate>;
  /** Fit and scoring time. */
  seconds: number;
}

export interface EvaluationReport {
  counts: { qualified: number; defective: number; byType: Record<string, number> };
  aurocByKind: Record<ScoreKind, number>;
  /**
   * Verdicts at the model's threshold: set on held-out qualified images at training, or on a
   * labelled set by recalibration (`setting` says which). No labels of these test images are
   * used, provided a recalibration's labelled set was another one.
   */
  calibrated: {
    threshold: number; falseAlarmRate: number; setting: ThresholdSetting; metrics: ClassificationMetrics; detection: Record<string, DetectionRate>;
  };
  /** The best F1 any threshold on the combined score reaches on these labels (an upper bound, not a deployable setting). */
  f1Optimal: { threshold: number; metrics: ClassificationMetrics };
  /** Frechet distance of each group's latent Gaussian ('good' included) to the qualified reference. */
  frechetByType: Record<string, number>;
  /** Pixel AUROC of the (blurred) residual maps against the masks; null when no masks were given. */
  pixelAuroc: number | null;
  /** The same for the per-pixel standardised band-pass residual maps. */
  pixelAurocStandardised: number | null;
  /** The same for the localFeatureDensity heat maps; null for models without that density. */
  pixelAurocLocalDensity: number | null;
  /** The same for a patch model's defect maps (at each image's working resolution); null for other models. */
  pixelAurocDefectMap: number | null;
  /** The score kinds this model computes (the others read 0 in aurocByKind's inputs). */
  kinds: ScoreKind[];
  baselines: BaselineSummary[] | null;
  inversionSeconds: number;
  items: { name: string; defectType: string | null; anomalous: boolean; normalisedScore: number; scores: Record<ScoreKind, number> }[];
}

export interface EvaluateOptions {
  /** Training pixel vectors: when given, the three baselines run on the same split. */
  baselineTrain?: Vectors;
  /**
   * The test images as the baselines read them (same order as `test`), when the model's own
   * inputs differ in size from image to image (patch models); default: each test image's data.
   */
  baselineTest?: Vectors;
  baselineOptions?: BaselineOptions;
  /**
   * Training and test images (same order as `test`) as the patch nearest-neighbour baseline
   * reads them (the README's recipe: grayscale, short side 128 px): when given, 'patchNN' joins
   * the baselines.
   */
  patchBaseline?: { train: PatchImage[]; test: PatchImage[] };
  keepReconstructions?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** The score kinds a model computes, 'combined' last. */
export function scoreKindsOf(model: InspectionModel): ScoreKind[] {
  if (model.patch) return [...PATCH_SCORE_KINDS, 'combined'];
  return SCORE_KINDS.filter((k) => k !== 'defectMap');
}

/** Scores labelled test images with a calibrated model and measures everything a report shows. */
export async function evaluateInspection(
  model: InspectionModel, test: LabelledImage[], o: EvaluateOptions = {},
): Promise<{ report: EvaluationReport; inspection: LotInspection }> {
  const labels = test.map((t) => t.defective);
  if (!labels.some(Boolean) || labels.every(Boolean)) throw new PipelineError('BAD_INPUT', 'evaluation needs both qualified and defective test images.');
  const inspection = await inspectImages(model, test.map((t) => t.image), { keepReconstructions: o.keepReconstructions, onProgress: o.onProgress });
  const c = model.calibration!;
  const results = inspection.images;
  const aurocByKind = Object.fromEntries(SCORE_KINDS.map((k) => [k, auroc(results.map((r) => r.scores[k]), labels)])) as Record<ScoreKind, number>;
  const combined = results.map((r) => r.scores.combined);
  const flagged = results.map((r) => r.anomalous);
  const groups = test.map((t) => ({ defectType: t.defectType }));
  const best = f1OptimalThreshold(combined, labels);

  const byType: Record<string, number[]> = {};
  test.forEach((t, i) => (byType[t.defectType ?? 'good'] ??= []).push(i));
  const reference = calibrationGaussian(c);
  const frechetByType: Record<string, number> = {};
  for (const [type, idx] of Object.entries(byType)) {
    if (idx.length >= 2) frechetByType[type] = frechetDistance(fitGaussian(idx.map((i) => inspection.measurements.latents[i]!)), reference);
  }

  const withMask = test.map((t, i) => ({ t, i })).filter(({ t }) => t.mask !== null || !t.defective);
  // Maps may differ in size from image to image (patch models): each is laid end to end with its mask.
  const pixelScore = (mapOf: (i: number) => Float32Array): number | null => {
    if (!withMask.some(({ t }) => t.mask?.some((v) => v > 0))) return null;
    const total = withMask.reduce((s, { i }) => s + mapOf(i).length, 0);
    const maps = new Float32Array(total);
    const masks = new Uint8Array(total);
    let at = 0;
    for (const { t, i } of withMask) {
      const map = mapOf(i);
      if (t.mask && t.mask.length !== map.length) throw new PipelineError('BAD_INPUT', `the mask of ${t.name ?? `image ${i}`} has ${t.mask.length} pixels, its map ${map.length}; load masks at the model's working size.`);
      maps.set(map, at);
      if (t.mask) masks.set(t.mask, at);
      at += map.length;
    }
    return pixelAuroc(maps, masks);
  };
  const meas = inspection.measurements;
  const pixel = pixelScore((i) => meas.residualMaps[i]!);
  const pixelStandardised = model.patch ? null : pixelScore((i) => standardiseMap(meas.highPassMaps[i]!, c.residualPixelMean, c.residualPixelStd));
  const localMaps = inspection.localDensityMaps;
  const pixelLocal = localMaps ? pixelScore((i) => localMaps[i]!) : null;
  const defectMaps = inspection.defectMaps;
  const pixelDefect = defectMaps ? pixelScore((i) => defectMaps[i]!) : null;

  const patchBaseline = o.patchBaseline;
  if (patchBaseline && patchBaseline.test.length !== test.length) {
    throw new PipelineError('BAD_INPUT', `the patch baseline got ${patchBaseline.test.length} test images for ${test.length} labelled ones; pass them in the same order.`);
  }
  const baselineResults = [
    ...(o.baselineTrain
      ? runBaselines(o.baselineTrain, test.map((t, i) => ({ vector: o.baselineTest?.[i] ?? t.image.data, defective: t.defective, defectType: t.defectType })), o.baselineOptions)
      : []),
    ...(patchBaseline
      ? [runPatchNearestNeighbour(patchBaseline.train, test.map((t, i) => ({ image: patchBaseline.test[i]!, defective: t.defective, defectType: t.defectType })), { falseAlarmRate: o.baselineOptions?.falseAlarmRate })]
      : []),
  ];
  const baselines = baselineResults.length > 0
    ? baselineResults.map((b) => ({ name: b.name, auroc: b.auroc, metrics: b.metrics, detection: b.detection, seconds: b.seconds }))
    : null;

  const report: EvaluationReport = {
    counts: {
      qualified: labels.filter((l) => !l).length, defective: labels.filter(Boolean).length,
      byType: Object.fromEntries(Object.entries(byType).map(([k, v]) => [k, v.length])),
    },
    aurocByKind,
    calibrated: {
      threshold: c.normalisation.threshold, falseAlarmRate: c.falseAlarmRate, setting: thresholdSettingOf(c),
      metrics: classificationMetrics(labels, flagged),
      detection: detectionRateByType(groups.map((g, i) => ({ ...g, flagged: flagged[i]! }))),
    },
    f1Optimal: { threshold: best.threshold, metrics: classificationMetrics(labels, predictAnomalous(combined, best.threshold)) },
    frechetByType,
    pixelAuroc: pixel,
    pixelAurocStandardised: pixelStandardised,
    pixelAurocLocalDensity: pixelLocal,
    pixelAurocDefectMap: pixelDefect,
    kinds: scoreKindsOf(model),
    baselines,
    inversionSeconds: inspection.measurements.seconds,
    items: results.map((r, i) => ({
      name: test[i]!.name ?? String(i), defectType: test[i]!.defectType, anomalous: r.anomalous, normalisedScore: r.normalisedScore, scores: r.scores,
    })),
  };
  return { report, inspection };
}
