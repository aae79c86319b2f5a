'use client';

import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { EvaluationScoresDocument, ModelCardDocument, ModelsDocument, SetModelThresholdDocument } from '@gansight/client';
import { ConfirmButton } from '../../components/confirm-button';
import { percent } from '../../components/charts/palette';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useCan, useFactory } from '../../lib/factory-session';
import { useApiMutation, useApiQuery } from '../../lib/use-api';
import { ConfusionMatrix } from './evaluation-panel';
import { confusionAt, scoreHistogram } from './threshold-math';

const STEPS = 200;

/**
 * Threshold what-if on the latest evaluation's labelled scores: histograms of qualified and
 * defective scores, a threshold to drag (slider, or press on the chart), the confusion matrix and
 * rates at it, and saving it as the model's threshold (engineers; the API audits it).
 */
export function ThresholdView() {
  const { modelId } = useParams<{ modelId: string }>();
  const { factoryId } = useFactory();
  const canSave = useCan('ENGINEER');
  const data = useApiQuery(EvaluationScoresDocument, { id: modelId });
  const save = useApiMutation(SetModelThresholdDocument, [EvaluationScoresDocument, ModelCardDocument, ModelsDocument]);
  const [chosen, setChosen] = useState<number | null>(null);
  const [dragging, setDragging] = useState(false);
  const model = data.data?.model;
  const scores = useMemo(() => model?.evaluations.edges[0]?.node.scores ?? [], [model]);
  const current = model?.threshold ?? 0;
  const threshold = chosen ?? current;
  const [lo, hi] = useMemo(() => {
    const values = [current, ...scores.map((s) => s.score)];
    const min = Math.min(...values);
    const max = Math.max(...values);
    const pad = (max - min) * 0.05 || 1;
    return [min - pad, max + pad];
  }, [scores, current]);
  const histogram = useMemo(() => scoreHistogram(scores, current, 30), [scores, current]);
  const at = confusionAt(scores, threshold);
  const was = confusionAt(scores, current);

  if (data.isPending) return <Loading height={400} />;
  if (data.isError || !model) return <ErrorState error={data.error} />;
  if (scores.length === 0) {
    return (
      <EmptyState title="No evaluation scores to try thresholds on">
        Run an evaluation on the <Link href={`/f/${factoryId}/models/${modelId}`}>model card</Link> first (evaluations from before per-image scores were kept have none).
      </EmptyState>
    );
  }
  const step = (hi - lo) / STEPS;
  const pick = (label: unknown) => {
    const bin = histogram.find((b) => b.mid === Number(label));
    if (bin) setChosen(bin.mid);
  };

  return (
    <>
      <div className="page-head">
        <h1>Threshold what-if</h1>
        <Link href={`/f/${factoryId}/models/${modelId}`}>← Model card</Link>
      </div>
      <section className="card">
        <h2>Scores of the labelled test images</h2>
        <div
          className="chart"
          style={{ height: 280, cursor: 'ew-resize' }}
          data-testid="threshold-histogram"
          onMouseUp={() => setDragging(false)}
          onMouseLeave={() => setDragging(false)}
        >
          <ResponsiveContainer width="100%" height="100%">
            <BarChart
              data={histogram}
              barGap={0}
              onMouseDown={(s) => {
                setDragging(true);
                pick(s?.activeLabel);
              }}
              onMouseMove={(s) => dragging && pick(s?.activeLabel)}
            >
              <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
              <XAxis dataKey="mid" type="category" tickFormatter={(v: number) => v.toPrecision(3)} fontSize={11} minTickGap={20} />
              <YAxis allowDecimals={false} fontSize={11} width={32} />
              <Tooltip labelFormatter={(v) => `score ≈ ${Number(v).toPrecision(3)}`} />
              <Legend />
              <Bar dataKey="qualified" name="qualified" fill="#0072B2" isAnimationActive={false} />
              <Bar dataKey="defective" name="defective" fill="#D55E00" isAnimationActive={false} />
              <ReferenceLine x={histogram.reduce((best, b) => (Math.abs(b.mid - threshold) < Math.abs(best.mid - threshold) ? b : best), histogram[0]!).mid} stroke="#1b1f24" strokeWidth={2} label={{ value: 'threshold', position: 'top', fontSize: 11 }} />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <label className="row threshold-slider">
          Threshold
          <input
            type="range"
            min={lo}
            max={hi}
            step={step}
            value={threshold}
            onChange={(e) => setChosen(Number(e.target.value))}
            aria-label="Threshold"
            aria-valuetext={threshold.toPrecision(4)}
          />
          <output data-testid="threshold-value">{threshold.toPrecision(4)}</output>
          {chosen !== null && chosen !== current && (
            <button type="button" onClick={() => setChosen(null)}>
              Back to {current.toPrecision(4)}
            </button>
          )}
        </label>
      </section>
      <section className="grid-2">
        <div className="card">
          <h2>At this threshold</h2>
          <ConfusionMatrix tp={at.truePositive} fp={at.falsePositive} tn={at.trueNegative} fn={at.falseNegative} />
          <p>
            False alarms <strong data-testid="false-alarm-rate">{percent(at.falseAlarmRate)}</strong> (now {percent(was.falseAlarmRate)}) · missed defects{' '}
            <strong data-testid="miss-rate">{percent(at.missRate)}</strong> (now {percent(was.missRate)})
          </p>
        </div>
        <div className="card">
          <h2>Use it</h2>
          <p className="muted small">Saving makes every inspection judged from now on use this threshold. Verdicts already given stay. The change is in the audit log.</p>
          {canSave ? (
            <ConfirmButton
              label="Save as the model's threshold"
              className="primary"
              title="Save the threshold?"
              confirmLabel="Save"
              disabled={chosen === null || chosen === current || save.isPending}
              onConfirm={() => save.mutate({ id: modelId, threshold }, { onSuccess: () => setChosen(null) })}
            >
              The threshold moves from {current.toPrecision(4)} to {threshold.toPrecision(4)}: on the test images, false alarms {percent(was.falseAlarmRate)} → {percent(at.falseAlarmRate)}, missed defects{' '}
              {percent(was.missRate)} → {percent(at.missRate)}.
            </ConfirmButton>
          ) : (
            <p className="muted">Engineers save thresholds.</p>
          )}
          {save.isSuccess && <p className="ok" role="status">Saved.</p>}
          {save.error && <p className="form-error">{save.error.message}</p>}
        </div>
      </section>
    </>
  );
}
