// The model's threshold rule in words, for the tables of `evaluate` and `calibrate`.
import type { ThresholdSetting } from '@gansight/ml';

/** "false-alarm target 0.05 on 95 held-out qualified images", "F1-optimal on 357 labelled images (...)". */
export function describeThresholdSetting(s: ThresholdSetting): string {
  const images = s.from === 'validation'
    ? `${s.qualified} held-out qualified images`
    : `${s.qualified + s.defective} labelled images (${s.qualified} qualified, ${s.defective} defective)`;
  return s.rule === 'f1' ? `F1-optimal on ${images}` : `false-alarm target ${s.falseAlarmRate} on ${images}`;
}
