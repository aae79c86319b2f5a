'use client';

import Link from 'next/link';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { EvaluationScoresDocument, ModelCardDocument, StartEvaluationDocument, type EvaluationFieldsFragment } from '@gansight/client';
import { percent } from '../../components/charts/palette';
import { useCan, useFactory } from '../../lib/factory-session';
import { useApiMutation, useApiQuery } from '../../lib/use-api';
import { rocCurve } from './threshold-math';

type Metrics = { auroc?: number; truePositives?: number; falsePositives?: number; trueNegatives?: number; falseNegatives?: number; f1?: number; accuracy?: number; precision?: number; recall?: number; threshold?: number; falseAlarmRate?: number };
type Baselines = Record<string, { auroc: number }>;
type PerDefect = Record<string, { name: string; count: number; detectionRate: number; auroc: number | null; frechet: number | null; baselines: Record<string, number> }>;

const fmt = (v: number | null | undefined, d = 3) => (v == null ? '—' : v.toFixed(d));

/** The latest evaluation: ROC, confusion matrix at the threshold, per defect type rates and the baselines side by side (the paper's Table III). */
export function EvaluationPanel({ modelId, evaluation, modelReady }: { modelId: string; evaluation: EvaluationFieldsFragment | null; modelReady: boolean }) {
  const { factoryId } = useFactory();
  const canRun = useCan('ENGINEER');
  const start = useApiMutation(StartEvaluationDocument, [ModelCardDocument]);
  const scores = useApiQuery(EvaluationScoresDocument, { id: modelId }, { enabled: evaluation?.status === 'SUCCEEDED' });
  const pending = evaluation && (evaluation.status === 'QUEUED' || evaluation.status === 'RUNNING');
  const m = (evaluation?.metrics ?? {}) as Metrics;
  const baselines = (evaluation?.baselines ?? {}) as Baselines;
  const perDefect = (evaluation?.perDefect ?? {}) as PerDefect;
  const roc = rocCurve(scores.data?.model.evaluations.edges[0]?.node.scores ?? []);
  const baselineNames = Object.keys(baselines);
  return (
    <section className="card" aria-label="Evaluation">
      <div className="page-head">
        <h2>Evaluation on labelled test images</h2>
        <div className="row">
          {evaluation?.status === 'SUCCEEDED' && <Link href={`/f/${factoryId}/models/${modelId}/threshold`}>Threshold what-if →</Link>}
          {canRun && modelReady && (
            <button type="button" disabled={start.isPending || !!pending} onClick={() => start.mutate({ modelId })}>
              {pending ? 'Evaluating…' : evaluation ? 'Evaluate again' : 'Evaluate'}
            </button>
          )}
        </div>
      </div>
      {start.error && <p className="form-error">{start.error.message}</p>}
      {!evaluation ? (
        <p className="muted">Not evaluated yet. Evaluation needs labelled TEST images of both kinds.</p>
      ) : evaluation.status === 'FAILED' ? (
        <p className="form-error">{evaluation.error}</p>
      ) : pending ? (
        <p className="muted">The worker is evaluating ({evaluation.status.toLowerCase()}).</p>
      ) : (
        <>
          <div className="grid-2">
            <div>
              <h3>ROC curve (AUROC {fmt(m.auroc)})</h3>
              <div className="chart" style={{ height: 240 }} data-testid="roc-chart">
                <ResponsiveContainer width="100%" height="100%">
                  <LineChart data={roc} margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
                    <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
                    <XAxis dataKey="fpr" type="number" domain={[0, 1]} fontSize={11} label={{ value: 'false-alarm rate', position: 'insideBottom', offset: -8, fontSize: 11 }} />
                    <YAxis dataKey="tpr" type="number" domain={[0, 1]} fontSize={11} width={40} label={{ value: 'detection', angle: -90, position: 'insideLeft', fontSize: 11 }} />
                    <Tooltip formatter={(v: unknown) => (typeof v === 'number' ? v.toFixed(3) : String(v))} />
                    <Line dataKey="tpr" type="stepAfter" stroke="#0072B2" dot={false} isAnimationActive={false} />
                  </LineChart>
                </ResponsiveContainer>
              </div>
            </div>
            <div>
              <h3>At the calibrated threshold</h3>
              <ConfusionMatrix tp={m.truePositives ?? 0} fp={m.falsePositives ?? 0} tn={m.trueNegatives ?? 0} fn={m.falseNegatives ?? 0} />
              <p className="small">
                F1 {fmt(m.f1)} · precision {fmt(m.precision)} · recall {fmt(m.recall)} · threshold set for {percent(m.falseAlarmRate)} false alarms on validation images
              </p>
            </div>
          </div>
          <h3>Against the baselines</h3>
          <table className="data" aria-label="Model and baselines">
            <thead>
              <tr>
                <th>Defect type</th>
                <th>Images</th>
                <th>GAN detection</th>
                <th>GAN AUROC</th>
                {baselineNames.map((b) => (
                  <th key={b}>{b.toUpperCase()} detection</th>
                ))}
                <th>Frechet</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th>All (AUROC)</th>
                <td />
                <td />
                <td>{fmt(m.auroc)}</td>
                {baselineNames.map((b) => (
                  <td key={b}>{fmt(baselines[b]?.auroc)}</td>
                ))}
                <td />
              </tr>
              {Object.entries(perDefect).map(([key, d]) => (
                <tr key={key}>
                  <td>{key === 'good' ? 'qualified (false alarms)' : d.name}</td>
                  <td>{d.count}</td>
                  <td>{percent(d.detectionRate)}</td>
                  <td>{fmt(d.auroc)}</td>
                  {baselineNames.map((b) => (
                    <td key={b}>{percent(d.baselines[b])}</td>
                  ))}
                  <td>{fmt(d.frechet, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** Rows: the truth; columns: the verdict. */
export function ConfusionMatrix({ tp, fp, tn, fn }: { tp: number; fp: number; tn: number; fn: number }) {
  return (
    <table className="data confusion" aria-label="Confusion matrix" data-testid="confusion-matrix">
      <thead>
        <tr>
          <th />
          <th>judged PASS</th>
          <th>judged FAIL</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th>qualified</th>
          <td className="good" data-testid="cm-tn">{tn}</td>
          <td className="wrong" data-testid="cm-fp">{fp}</td>
        </tr>
        <tr>
          <th>defective</th>
          <td className="wrong" data-testid="cm-fn">{fn}</td>
          <td className="good" data-testid="cm-tp">{tp}</td>
        </tr>
      </tbody>
    </table>
  );
}
