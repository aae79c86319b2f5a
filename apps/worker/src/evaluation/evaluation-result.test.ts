import { describe, expect, it } from 'vitest';
import type { EvaluationReport } from '@gansight/ml';
import { storedEvaluation } from './evaluation-result';

const metrics = (tp: number) => ({ truePositives: tp, falsePositives: 0, trueNegatives: 2, falseNegatives: 4 - tp, accuracy: 0, balancedAccuracy: 0, precision: 1, recall: tp / 4, specificity: 1, f1: 0 });
const item = (defectType: string | null, combined: number) => ({ name: 'x', defectType, anomalous: combined > 1, normalisedScore: 0, scores: { combined } as never });

const report = {
  counts: { qualified: 2, defective: 4, byType: { good: 2, t1: 2, t2: 2 } },
  aurocByKind: { combined: 0.75 } as never,
  calibrated: {
    threshold: 1, falseAlarmRate: 0.05, metrics: metrics(2),
    detection: { good: { count: 2, flagged: 0, rate: 0 }, t1: { count: 2, flagged: 2, rate: 1 }, t2: { count: 2, flagged: 0, rate: 0 } },
  },
  f1Optimal: { threshold: 0.5, metrics: metrics(4) },
  frechetByType: { good: 0.1, t1: 5 },
  pixelAuroc: null, pixelAurocStandardised: null,
  baselines: [{ name: 'gmm', auroc: 0.6, metrics: metrics(1), detection: { t1: { count: 2, flagged: 1, rate: 0.5 } } }],
  inversionSeconds: 1,
  // t1 scores above every good image, t2 below them.
  items: [item(null, 0.2), item(null, 0.4), item('t1', 2), item('t1', 3), item('t2', 0.1), item('t2', 0.3)],
} as unknown as EvaluationReport;

describe('storedEvaluation', () => {
  it('keys per-defect results by defect type with names, group AUROC against good images, Frechet and baseline rates', () => {
    const trainSet = { source: 'training-set' as const, trainingSetKey: 'factories/f/models/m/training-set.json', skipped: [] };
    const s = storedEvaluation(report, { groupNames: { good: 'good', t1: 'crack' }, skippedImages: [], baselineTrainCount: 10, baselineTrainSet: trainSet });
    expect(s.perDefect.t1).toEqual({ name: 'crack', count: 2, detectionRate: 1, auroc: 1, frechet: 5, baselines: { gmm: 0.5 } });
    expect(s.perDefect.t2).toMatchObject({ name: 't2', auroc: 0.25, frechet: null, baselines: { gmm: 0 } });
    expect(s.perDefect.good).toMatchObject({ auroc: null, detectionRate: 0 });
    expect(s.metrics).toMatchObject({ auroc: 0.75, truePositives: 2, threshold: 1, baselineTrainImages: 10, baselineTrainSet: trainSet });
    expect(s.baselines).toEqual({ gmm: { auroc: 0.6, metrics: metrics(1), detection: { t1: { count: 2, flagged: 1, rate: 0.5 } } } });
  });
});
