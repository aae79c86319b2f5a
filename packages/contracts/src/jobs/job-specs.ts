// Job names, payloads and queue policy: the contract between the API (which enqueues) and
// the workers (which run). Payloads always carry the factory id, and nothing else that a
// worker could not re-read from the database.

export const TASK = { train: 'train', inspect: 'inspect', evaluate: 'evaluate', lot: 'lot', interpolate: 'interpolate' } as const;
export type TaskName = (typeof TASK)[keyof typeof TASK];

export interface TrainingJob {
  factoryId: string;
  modelId: string;
  runId: string;
}
export interface InspectionJob {
  factoryId: string;
  inspectionId: string;
}
export interface EvaluationJob {
  factoryId: string;
  evaluationId: string;
}
/** Measures a closed lot once its inspections are done (see lots/lot-job.ts). */
export interface LotJob {
  factoryId: string;
  lotId: string;
}
/** Draws one latent interpolation strip of a model (apps/worker/src/interpolation). */
export interface InterpolationJob {
  factoryId: string;
  interpolationId: string;
}

/**
 * Smaller runs first: an inspection from the line goes before a lot's measurement, an
 * interpolation strip (seconds, someone waits at the model card), an evaluation, then training.
 */
export const PRIORITY: Record<TaskName, number> = { inspect: 0, lot: 1, interpolate: 3, evaluate: 5, train: 10 };

/**
 * Attempts per job. Training resumes from its last checkpoint on every attempt, so a few are
 * cheap; an inspection is short and idempotent (its row is written once, at the end).
 */
export const MAX_ATTEMPTS: Record<TaskName, number> = { inspect: 5, lot: 5, interpolate: 3, evaluate: 3, train: 5 };

/** One key per row: enqueueing the same run or inspection twice never queues it twice. */
export function jobKey(task: TaskName, id: string): string {
  return `${task}:${id}`;
}

export class BadJobPayloadError extends Error {
  readonly code = 'BAD_JOB_PAYLOAD';
  constructor(task: string, field: string) {
    super(`Job "${task}" has no valid "${field}" in its payload; it cannot be run and is not retried.`);
    this.name = 'BadJobPayloadError';
  }
}

function requireStrings<K extends string>(task: string, payload: unknown, fields: readonly K[]): Record<K, string> {
  const p = (payload ?? {}) as Record<string, unknown>;
  for (const f of fields) {
    if (typeof p[f] !== 'string' || p[f] === '') throw new BadJobPayloadError(task, f);
  }
  return Object.fromEntries(fields.map((f) => [f, p[f] as string])) as Record<K, string>;
}

export const parseTrainingJob = (p: unknown): TrainingJob => requireStrings(TASK.train, p, ['factoryId', 'modelId', 'runId']);
export const parseInspectionJob = (p: unknown): InspectionJob => requireStrings(TASK.inspect, p, ['factoryId', 'inspectionId']);
export const parseEvaluationJob = (p: unknown): EvaluationJob => requireStrings(TASK.evaluate, p, ['factoryId', 'evaluationId']);
export const parseLotJob = (p: unknown): LotJob => requireStrings(TASK.lot, p, ['factoryId', 'lotId']);
export const parseInterpolationJob = (p: unknown): InterpolationJob => requireStrings(TASK.interpolate, p, ['factoryId', 'interpolationId']);
