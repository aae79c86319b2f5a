/** The long steps after GAN training, in the order a training run goes through them. */
export type TrainingPhase = 'encoder' | 'feature-density' | 'local-feature-density' | 'defect-map' | 'calibration' | 'generator-check';

/** `done` of `total` units (encoder steps, inversion iterations, fits) of one phase. */
export interface PhaseProgress {
  phase: TrainingPhase;
  done: number;
  total: number;
}

/**
 * Awaited between units of work: it reports progress and lets the caller's event loop run.
 * Throwing from it stops the work at that point, leaving no tensors behind (the worker cancels
 * and drains a training run so).
 */
export type OnPhaseProgress = (p: PhaseProgress) => void | Promise<void>;

/** measureImages' per-iteration hook as phase progress: inversion iterations over all batches of `images` images. */
export function inversionProgress(
  phase: TrainingPhase, images: number, o: { batchSize: number; iterations: number }, onProgress: OnPhaseProgress,
): (batchStart: number, p: { iteration: number }) => void | Promise<void> {
  const total = Math.ceil(images / o.batchSize) * o.iterations;
  return (batchStart, p) => onProgress({ phase, done: (batchStart / o.batchSize) * o.iterations + p.iteration, total });
}
