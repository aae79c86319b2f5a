// Each test image's combined score as the evaluation measured it, kept on the Evaluation row so a
// dashboard can move the threshold over them (the what-if) without inverting anything again.
import type { EvaluationReport } from '@gansight/ml';

export interface EvaluationScore {
  imageId: string;
  defective: boolean;
  /** The image's defect type id, or null (qualified, or defective without a type). */
  defectTypeId: string | null;
  /** The raw combined score: the same scale as the model's threshold. */
  score: number;
}

export function evaluationScores(report: EvaluationReport, untyped: string): EvaluationScore[] {
  return report.items.map((item) => ({
    imageId: item.name,
    defective: item.defectType !== null,
    defectTypeId: item.defectType === null || item.defectType === untyped ? null : item.defectType,
    score: item.scores.combined,
  }));
}
