import { apiError } from '../auth/api-errors';

/** Named starting points for training; explicit hyper-parameters override them. */
export const TRAINING_PRESETS = {
  FAST: { steps: 1500, batchSize: 32, learningRate: 0.0002, encoderSteps: 500 },
  STANDARD: { steps: 5000, batchSize: 32, learningRate: 0.0002, encoderSteps: 1500 },
  QUALITY: { steps: 20000, batchSize: 64, learningRate: 0.0002, encoderSteps: 4000 },
} as const;

export type TrainingPreset = keyof typeof TRAINING_PRESETS;

const LIMITS: Record<string, [number, number]> = {
  steps: [1, 200_000],
  batchSize: [1, 256],
  learningRate: [1e-6, 0.1],
  encoderSteps: [0, 100_000],
  // Patch models only (ADR 0034): steps of the learned defect map.
  defectMapSteps: [1, 100_000],
  latentDim: [2, 512],
  seed: [0, 2 ** 31 - 1],
};

/** The hyper-parameters a model is trained with; BAD_USER_INPUT for unknown or out-of-range values. */
export function resolveHyperParameters(preset: TrainingPreset | null | undefined, overrides: unknown): Record<string, number> & { steps: number } {
  if (overrides !== undefined && overrides !== null && (typeof overrides !== 'object' || Array.isArray(overrides))) {
    throw apiError('BAD_USER_INPUT', 'hyperParameters must be a JSON object.');
  }
  const merged: Record<string, unknown> = { ...TRAINING_PRESETS[preset ?? 'STANDARD'], ...(overrides as object | undefined) };
  for (const [name, value] of Object.entries(merged)) {
    const range = LIMITS[name];
    if (!range) throw apiError('BAD_USER_INPUT', `Unknown hyper-parameter "${name}"; known: ${Object.keys(LIMITS).join(', ')}.`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < range[0] || value > range[1]) {
      throw apiError('BAD_USER_INPUT', `${name} must be a number between ${range[0]} and ${range[1]}.`);
    }
    if (name !== 'learningRate' && !Number.isInteger(value)) throw apiError('BAD_USER_INPUT', `${name} must be a whole number.`);
  }
  return merged as Record<string, number> & { steps: number };
}

