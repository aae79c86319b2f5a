// One recipe for the synthetic quality checks of issue 3 (the separation tests and the bench
// that prints their figures): a small GAN trained on generated qualified textures, calibrated on
// held-out ones and evaluated on a labelled test set with planted defects.
import * as tf from '@tensorflow/tfjs';
import { buildDcgan } from '../dcgan/dcgan-model';
import { trainGan } from '../dcgan/train-gan';
import { DEFAULT_SCORING, type InspectionModel } from './inspection-model';
import { finishInspectionModel } from './finish-inspection-model';
import { evaluateInspection, type EvaluationReport } from './evaluate-inspection';
import { PLANTED_DEFECTS, syntheticTextures, type SyntheticImage, type TextureKind } from './synthetic-textures';

export const SYNTHETIC_SIZE = 32;

/** The seeds, test-set size and planted defect kinds of each texture's check. */
export const SYNTHETIC_SETUPS = {
  // Wood keeps the three kinds it was built on; the solar grid adds contamination.
  wood: { train: 1, validation: 2, test: 3, testCount: 72, defects: PLANTED_DEFECTS.slice(0, 3) },
  solar: { train: 11, validation: 12, test: 13, testCount: 80, defects: PLANTED_DEFECTS },
} as const;

export interface SyntheticInspection {
  model: InspectionModel;
  report: EvaluationReport;
  test: SyntheticImage[];
}

/** Trains, calibrates and evaluates the check of one texture (deterministic per backend). */
export async function runSyntheticInspection(kind: TextureKind): Promise<SyntheticInspection> {
  const setup = SYNTHETIC_SETUPS[kind];
  const size = SYNTHETIC_SIZE;
  const test = syntheticTextures(kind, setup.testCount, { size, seed: setup.test, defectRate: 0.5, defects: setup.defects });
  const train = syntheticTextures(kind, 256, { size, seed: setup.train });
  const validation = syntheticTextures(kind, 32, { size, seed: setup.validation });
  const dcgan = buildDcgan({ size, nf: 16, zdim: 32, channels: 1 }, 0);
  const x = tf.tensor4d(Float32Array.from(train.flatMap((t) => Array.from(t.image.data))), [train.length, size, size, 1]);
  await trainGan(dcgan, x, { steps: 100, batchSize: 32, seed: 0 });
  x.dispose();
  const model = await finishInspectionModel(dcgan, train.map((t) => t.image), validation.map((t) => t.image), {
    encoderSteps: 0, scoring: { ...DEFAULT_SCORING, iterations: 40, useEncoder: false, residualBlur: 1 }, falseAlarmRate: 0.05, seed: 0,
  });
  const { report } = await evaluateInspection(
    model,
    test.map((t, i) => ({ image: t.image, defective: t.defect !== null, defectType: t.defect, mask: t.mask, name: `${kind}${i}` })),
    { baselineTrain: train.map((t) => t.image.data), baselineOptions: { pcaComponents: 20 } },
  );
  return { model, report, test };
}
