// What stops a training run before its end, in every phase (issue 13, item 8): the user
// cancelling it (the API sets its row CANCELLED; the job re-reads the row every cancelPollMs)
// or the worker draining. The GAN loop asks between steps; the phases after it (encoder,
// densities, calibration, generator check) ask through their progress callback, which also
// turns the event loop so that the row's answer can arrive at all.
import { getTrainingRun } from '@gansight/db';
import type { OnPhaseProgress, TrainingPhase } from '@gansight/ml';
import type { WorkerContext } from '../worker-context';
import type { Emit } from './train-with-progress';

export type StopReason = 'cancelled' | 'draining';

/** Thrown out of a phase after the GAN when the run is cancelled or the worker drains. */
export class TrainingStopped extends Error {
  constructor(
    readonly reason: StopReason,
    readonly phase: TrainingPhase,
  ) {
    super(`training stopped in the ${phase} phase: ${reason}`);
    this.name = 'TrainingStopped';
  }
}

export interface RunStopWatch {
  /** Why the run should stop now, or null. */
  reason(): StopReason | null;
  close(): void;
}

/** Watches the run's row (and the worker's drain) from now until `close()`. */
export function watchRunStop(ctx: WorkerContext, factoryId: string, runId: string, drain: AbortSignal): RunStopWatch {
  let cancelled = false;
  let polling = false;
  const timer = setInterval(() => {
    if (polling || cancelled) return;
    polling = true;
    getTrainingRun(ctx.db, factoryId, runId)
      .then((r) => void (cancelled ||= r.status === 'CANCELLED'))
      .catch((err: Error) => ctx.log(`[train] ${runId}: cancel check failed: ${err.message}`))
      .finally(() => void (polling = false));
  }, ctx.timing.cancelPollMs);
  timer.unref();
  return {
    reason: () => (cancelled ? 'cancelled' : drain.aborted ? 'draining' : null),
    close: () => clearInterval(timer),
  };
}

/**
 * The progress callback of the phases after the GAN: lets the event loop turn (the cancel poll,
 * heartbeats, a SIGTERM), stops the phase with TrainingStopped when asked to, and publishes
 * `training.phase` events (at most one per progressIntervalMs, plus each phase's first and last).
 */
export function phaseProgress(ctx: WorkerContext, watch: RunStopWatch, emit: Emit, totalSteps: number): OnPhaseProgress {
  let lastAt = 0;
  let lastPhase = '';
  return async (p) => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const reason = watch.reason();
    if (reason) throw new TrainingStopped(reason, p.phase);
    const now = Date.now();
    if (p.phase === lastPhase && p.done < p.total && now - lastAt < ctx.timing.progressIntervalMs) return;
    lastAt = now;
    lastPhase = p.phase;
    await emit('training.phase', { phase: p.phase, done: p.done, total: p.total, step: totalSteps, totalSteps });
  };
}
