'use client';

import Link from 'next/link';
import { useParams } from 'next/navigation';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { EvaluationScoresDocument, ModelCardDocument, type ModelCardQuery } from '@gansight/client';
import { percent, seriesColour } from '../../components/charts/palette';
import { ErrorState, Loading } from '../../components/states';
import { useFactory } from '../../lib/factory-session';
import { useApiQuery } from '../../lib/use-api';
import { useUrlState } from '../../lib/url-state';
import { rocCurve } from './threshold-math';

type Model = ModelCardQuery['model'];
type Metrics = Record<string, number | undefined>;

function figures(m: Model) {
  const metrics = (m.metrics ?? {}) as { generatorFrechet?: number | null; training?: { steps?: number; trainImages?: number } };
  const evaluation = m.evaluations.edges.find((e) => e.node.status === 'SUCCEEDED')?.node;
  const em = (evaluation?.metrics ?? {}) as Metrics;
  const baselines = (evaluation?.baselines ?? {}) as Record<string, { auroc: number }>;
  return { metrics, evaluation, em, baselines };
}

const fmt = (v: number | null | undefined, d = 3) => (v == null ? '—' : v.toFixed(d));

/** Two versions of a product side by side: training, generator check, evaluation and ROC curves. */
export function CompareView() {
  const { productId } = useParams<{ productId: string }>();
  const { factoryId } = useFactory();
  const [params] = useUrlState();
  const ids = [params.get('a'), params.get('b')].filter((x): x is string => !!x);
  const a = useApiQuery(ModelCardDocument, { id: ids[0] ?? '' }, { enabled: !!ids[0] });
  const b = useApiQuery(ModelCardDocument, { id: ids[1] ?? '' }, { enabled: !!ids[1] });
  const sa = useApiQuery(EvaluationScoresDocument, { id: ids[0] ?? '' }, { enabled: !!ids[0] });
  const sb = useApiQuery(EvaluationScoresDocument, { id: ids[1] ?? '' }, { enabled: !!ids[1] });
  if (ids.length < 2) return <ErrorState error={{ code: 'BAD_USER_INPUT', message: 'Pick two versions to compare on the Models tab.' }} />;
  if (a.isPending || b.isPending) return <Loading height={400} />;
  if (a.isError || b.isError) return <ErrorState error={a.error ?? b.error} />;
  const models = [a.data.model, b.data.model];
  const f = models.map(figures);
  const baselineNames = [...new Set(f.flatMap((x) => Object.keys(x.baselines)))].sort();
  const rocs = [sa, sb].map((s) => rocCurve(s.data?.model.evaluations.edges[0]?.node.scores ?? []));
  const rows: Array<[string, (i: number) => string]> = [
    ['Status', (i) => models[i]!.status.toLowerCase() + (models[i]!.isActive ? ' (active)' : '')],
    ['Training steps', (i) => String(f[i]!.metrics.training?.steps ?? '—')],
    ['Training images', (i) => String(f[i]!.metrics.training?.trainImages ?? '—')],
    ['Generator Frechet distance', (i) => fmt(f[i]!.metrics.generatorFrechet)],
    ['Threshold', (i) => models[i]!.threshold?.toPrecision(4) ?? '—'],
    ['AUROC', (i) => fmt(f[i]!.em.auroc)],
    ['F1 at the threshold', (i) => fmt(f[i]!.em.f1)],
    ['Recall (defects found)', (i) => percent(f[i]!.em.recall)],
    ['Precision', (i) => percent(f[i]!.em.precision)],
    ...baselineNames.map((n): [string, (i: number) => string] => [`${n.toUpperCase()} AUROC (baseline)`, (i) => fmt(f[i]!.baselines[n]?.auroc)]),
  ];
  return (
    <section className="card" aria-label="Compare versions">
      <h2>
        v{models[0]!.version} against v{models[1]!.version}
      </h2>
      <table className="data" aria-label="Versions side by side">
        <thead>
          <tr>
            <th />
            {models.map((m) => (
              <th key={m.id}>
                <Link href={`/f/${factoryId}/models/${m.id}`}>v{m.version}</Link>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th>{label}</th>
              <td>{value(0)}</td>
              <td>{value(1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>ROC curves on each version&apos;s latest evaluation</h3>
      {rocs.every((r) => r.length === 0) ? (
        <p className="muted">Neither version has evaluation scores yet.</p>
      ) : (
        <div className="chart" style={{ height: 280 }}>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
              <XAxis dataKey="fpr" type="number" domain={[0, 1]} fontSize={11} />
              <YAxis dataKey="tpr" type="number" domain={[0, 1]} fontSize={11} width={40} />
              <Tooltip />
              <Legend />
              {rocs.map((r, i) => (
                <Line key={models[i]!.id} data={r} dataKey="tpr" name={`v${models[i]!.version}`} type="stepAfter" stroke={seriesColour(i)} dot={false} isAnimationActive={false} />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
      <p className="small">
        <Link href={`/f/${factoryId}/products/${productId}/models`}>← Versions</Link>
      </p>
    </section>
  );
}
