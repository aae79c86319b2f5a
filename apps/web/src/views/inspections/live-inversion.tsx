'use client';

import { useState } from 'react';
import { Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { InspectionProgressDocument, type InspectionProgressSubscription } from '@gansight/client';
import { useApiSubscription } from '../../lib/use-api';

type ProgressEvent = InspectionProgressSubscription['inspectionProgress'];

/**
 * The inversion while it runs: iteration of total, the best loss so far per iteration and the
 * latest reconstruction preview the worker stored. `onFinished` runs on completion or failure so
 * the page reloads the result.
 */
export function LiveInversion({ inspectionId, onFinished }: { inspectionId: string; onFinished: () => void }) {
  const [losses, setLosses] = useState<Array<{ iteration: number; loss: number }>>([]);
  const [last, setLast] = useState<ProgressEvent | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const state = useApiSubscription(InspectionProgressDocument, { inspectionId }, ({ inspectionProgress: e }) => {
    setLast(e);
    if (e.previewUrl) setPreview(e.previewUrl);
    if (e.iteration != null && e.loss != null) setLosses((prev) => [...prev.filter((p) => p.iteration !== e.iteration), { iteration: e.iteration!, loss: e.loss! }]);
    if (e.kind === 'inspection.completed' || e.kind === 'inspection.failed') onFinished();
  });
  const total = last?.totalIterations ?? null;
  const done = last?.iteration ?? 0;
  return (
    <section className="card live-inversion" aria-label="Inversion in progress">
      <h2>
        Inverting the generator <span className={`live-dot ${state === 'live' ? 'on' : ''}`} />
      </h2>
      <div className="row">
        {/* A patch model at its default inverts no further than the encoder's guess: total 0, one report. */}
        <progress max={total || 1} value={total === 0 ? 1 : total ? done : undefined} aria-label="Inversion progress" />
        <span className="muted small" data-testid="inversion-iteration">
          {total ? `iteration ${done} of ${total}` : total === 0 ? "the encoder's reconstruction (no iterations)" : 'waiting for the worker…'}
          {last?.loss != null ? `, loss ${last.loss.toPrecision(3)}` : ''}
        </span>
      </div>
      <div className="live-body">
        <div className="chart" style={{ height: 160 }}>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={losses}>
              <XAxis dataKey="iteration" type="number" domain={[0, total ?? 'auto']} fontSize={11} />
              <YAxis fontSize={11} width={48} tickFormatter={(v: number) => v.toPrecision(2)} domain={['auto', 'auto']} />
              <Tooltip />
              <Line dataKey="loss" stroke="#0072B2" dot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
        <div className="preview">
          {preview ? (
            // eslint-disable-next-line @next/next/no-img-element
            <img src={preview} alt="Reconstruction so far" className="pixelated" />
          ) : (
            <span className="muted small">reconstruction preview</span>
          )}
        </div>
      </div>
    </section>
  );
}
