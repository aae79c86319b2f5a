// `gansight calibrate`: sets a trained model's verdict threshold again on a labelled set
// (test/good and test/<defect> of a folder dataset, kept apart from the set it is evaluated on),
// F1-optimal or at a target false-alarm rate, and stores it with the rule and the image counts.
import cliProgress from 'cli-progress';
import { listFolderDataset, loadFolderDataset } from '@gansight/imaging';
import {
  checkLabelledCounts, loadInspectionModel, recalibrateThreshold, replaceModelCalibration, selectBackend, THRESHOLD_RULES,
  type BackendPreference, type ThresholdOutcome, type ThresholdRule,
} from '@gansight/ml';
import { describeThresholdSetting } from './describe-threshold-setting';
import { modelPreprocessing } from './model-preprocessing';
import { numberFlag } from './number-flag';
import { folderArtifactIO } from './train';

export interface CalibrateCommandOptions {
  model: string;
  data: string;
  rule: string;
  falseAlarmRate?: string;
  dryRun?: boolean;
  backend: string;
  threads: string;
}

const fmt = (v: number) => v.toFixed(3);

function outcomeLine(label: string, o: ThresholdOutcome): string {
  const m = o.metrics;
  const falseAlarms = m.falsePositives / Math.max(1, m.falsePositives + m.trueNegatives);
  return `${label.padEnd(9)} threshold ${o.threshold.toFixed(4)}  precision ${fmt(m.precision)}  recall ${fmt(m.recall)}  F1 ${fmt(m.f1)}  false alarms ${fmt(falseAlarms)} (${m.falsePositives}/${m.falsePositives + m.trueNegatives})`;
}

/** `gansight calibrate --model MODEL_DIR --data DIR [--rule f1|false-alarm] [--false-alarm-rate R] [--dry-run]`. */
export async function calibrateCommand(o: CalibrateCommandOptions): Promise<void> {
  const rule = o.rule as ThresholdRule;
  if (!THRESHOLD_RULES.includes(rule)) {
    process.stderr.write(`--rule must be ${THRESHOLD_RULES.join(' or ')}, got "${o.rule}"\n`);
    process.exit(2);
  }
  if (o.falseAlarmRate !== undefined && rule !== 'false-alarm') {
    process.stderr.write('--false-alarm-rate applies to --rule false-alarm only\n');
    process.exit(2);
  }
  const falseAlarmRate = o.falseAlarmRate === undefined ? undefined : numberFlag(o.falseAlarmRate, '--false-alarm-rate', { min: 0 });
  if (falseAlarmRate !== undefined && falseAlarmRate >= 1) {
    process.stderr.write(`--false-alarm-rate must be below 1, got "${o.falseAlarmRate}"\n`);
    process.exit(2);
  }
  // Counts first: a set that is too small fails in a second, before the model or any image loads.
  const items = (await listFolderDataset(o.data)).filter((i) => i.split === 'test');
  checkLabelledCounts(items.map((i) => i.label === 'defect'), rule);

  const backend = await selectBackend(o.backend as BackendPreference, (m) => process.stderr.write(`${m}\n`), { threads: numberFlag(o.threads, '--threads', { min: 1, integer: true }) });
  const io = folderArtifactIO(o.model);
  const model = await loadInspectionModel(io);
  const { loaded, skipped } = await loadFolderDataset(items, { ...modelPreprocessing(model), concurrency: 4 });
  for (const s of skipped) process.stderr.write(`skipped ${s.item.path}: ${s.error.message}\n`);
  const labelled = loaded.map((l) => ({ image: l.image, defective: l.label === 'defect' }));
  const scoring = model.calibration?.scoring;
  process.stderr.write(`scoring ${labelled.length} labelled images (${labelled.filter((l) => l.defective).length} defective; ${scoring?.iterations ?? '-'} inversion iterations, ${backend.kind})\n`);

  const bar = new cliProgress.SingleBar({
    format: 'scored {value}/{total} [{bar}] | ETA {eta_formatted}', etaBuffer: 50, noTTYOutput: true, notTTYSchedule: 15000, hideCursor: true,
  }, cliProgress.Presets.shades_classic);
  bar.start(labelled.length, 0);
  let result;
  try {
    result = await recalibrateThreshold(model, labelled, { rule, ...(falseAlarmRate !== undefined ? { falseAlarmRate } : {}), onProgress: (d) => bar.update(d) });
  } finally {
    bar.stop();
  }
  const setting = result.calibration.thresholdSetting!;
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(`\nthreshold rule: ${describeThresholdSetting(setting)}`);
  out('verdicts on these labelled images:');
  out(`  ${outcomeLine('before', result.before)}`);
  out(`  ${outcomeLine('after', result.after)}`);
  if (o.dryRun) {
    out(`dry run: ${o.model} is unchanged`);
  } else {
    // One write of the manifest (temporary file, then rename): the model is either as it was or recalibrated.
    await replaceModelCalibration(io, result.calibration);
    out(`saved ${o.model}: scores normalised to [0, 1] with the new threshold at 0.5`);
  }
  out(JSON.stringify({
    model: o.model, data: o.data, saved: !o.dryRun, setting,
    before: { threshold: result.before.threshold, ...result.before.metrics },
    after: { threshold: result.after.threshold, ...result.after.metrics },
  }));
}
