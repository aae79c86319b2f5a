'use client';

import { useState } from 'react';
import { CancelTrainingDocument, ModelCardDocument, TrainingProgressDocument, type TrainingRunFieldsFragment } from '@gansight/client';
import { useCan } from '../../lib/factory-session';
import { useApiMutation, useApiSubscription } from '../../lib/use-api';
import { LossesChart, type LossSample } from './losses-chart';

const PHASES: Record<string, string> = {
  'training.started': 'loading images',
  'training.progress': 'training',
  'training.sample': 'training',
  'training.checkpoint': 'training',
  'training.completed': 'finished',
  'training.failed': 'failed',
  'training.cancelled': 'cancelled',
};

function formatEta(seconds: number | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return '—';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/**
 * A training run while it runs: losses as they come, the latest sample grid, phase, speed, ETA,
 * and a cancel that stops the worker (it polls the run's status between steps).
 */
export function LiveTraining({ run, onFinished }: { run: TrainingRunFieldsFragment; onFinished: () => void }) {
  const canCancel = useCan('ENGINEER');
  const [samples, setSamples] = useState<LossSample[]>(() => (Array.isArray(run.losses) ? (run.losses as LossSample[]) : []));
  const [step, setStep] = useState(run.step);
  const [phase, setPhase] = useState(run.status === 'QUEUED' ? 'queued' : 'training');
  const [speed, setSpeed] = useState<{ imagesPerSecond?: number; etaSeconds?: number }>({});
  const [sampleUrl, setSampleUrl] = useState<string | null>(null);
  const cancel = useApiMutation(CancelTrainingDocument, [ModelCardDocument]);
  const state = useApiSubscription(TrainingProgressDocument, { runId: run.id }, ({ trainingProgress: e }) => {
    setPhase(PHASES[e.kind] ?? e.kind);
    if (e.step != null) setStep(e.step);
    const data = e.data as { imagesPerSecond?: number; etaSeconds?: number };
    if (e.kind === 'training.progress') {
      const l = (e.losses ?? {}) as LossSample;
      setSamples((prev) => [...prev.filter((p) => p.step !== e.step), { step: e.step ?? 0, d: l.d, g: l.g, dReal: l.dReal, dFake: l.dFake }]);
      setSpeed({ imagesPerSecond: data.imagesPerSecond, etaSeconds: data.etaSeconds });
    }
    if (e.sampleUrl) setSampleUrl(e.sampleUrl);
    if (e.kind === 'training.completed' || e.kind === 'training.failed' || e.kind === 'training.cancelled') onFinished();
  });
  // After the last step the worker calibrates the threshold and checks the generator before it says "completed".
  // A run pinned to backends no live worker runs waits queued; say for what (ADR 0060).
  const shownPhase = phase === 'training' && step >= run.totalSteps
    ? 'calibrating and checking the generator'
    : phase === 'queued' && run.waitingFor ? `queued, ${run.waitingFor}` : phase;
  return (
    <section className="card" aria-label="Training in progress">
      <div className="page-head">
        <h2>
          Training <span className={`live-dot ${state === 'live' ? 'on' : ''}`} />
        </h2>
        {canCancel && (
          <button type="button" className="danger" disabled={cancel.isPending} onClick={() => cancel.mutate({ runId: run.id }, { onSuccess: onFinished })}>
            Cancel training
          </button>
        )}
      </div>
      <div className="row training-facts">
        <progress max={run.totalSteps} value={step} aria-label="Training progress" />
        <span data-testid="training-step">
          step {step} of {run.totalSteps}
        </span>
        <span>
          phase: <strong data-testid="training-phase">{shownPhase}</strong>
        </span>
        <span>{speed.imagesPerSecond != null ? `${speed.imagesPerSecond.toFixed(1)} images/s` : ''}</span>
        <span>ETA {formatEta(speed.etaSeconds)}</span>
      </div>
      {cancel.error && <p className="form-error">{cancel.error.message}</p>}
      <div className="live-body">
        <LossesChart samples={samples} totalSteps={run.totalSteps} />
        <div className="preview" style={{ width: 200, height: 200 }}>
          {sampleUrl ? (
            // eslint-disable-next-line @next/next/no-img-element
            <img src={sampleUrl} alt="Latest generated samples" className="pixelated" data-testid="sample-grid" />
          ) : (
            <span className="muted small">samples appear as it trains</span>
          )}
        </div>
      </div>
    </section>
  );
}
