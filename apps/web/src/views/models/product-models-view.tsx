'use client';

import Link from 'next/link';
import { useParams, useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { DatasetSummaryDocument, ModelsDocument, StartTrainingDocument, type TrainingPreset } from '@gansight/client';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useCan, useFactory } from '../../lib/factory-session';
import { formatInstant } from '../../lib/time-zone';
import { useApiMutation, useApiQuery } from '../../lib/use-api';

// What each preset means (apps/api training-presets.ts), for people choosing one.
const PRESETS: Array<{ preset: TrainingPreset; label: string }> = [
  { preset: 'FAST', label: 'Fast: 1,500 steps, for a first look' },
  { preset: 'STANDARD', label: 'Standard: 5,000 steps' },
  { preset: 'QUALITY', label: 'Quality: 20,000 steps, larger batches' },
];
const ADVANCED = ['steps', 'batchSize', 'learningRate', 'encoderSteps', 'latentDim', 'seed'] as const;

/** A product's model versions, and starting a new training (engineers). */
export function ProductModelsView() {
  const { productId } = useParams<{ productId: string }>();
  const { factoryId, timeZone } = useFactory();
  const router = useRouter();
  const canTrain = useCan('ENGINEER');
  const models = useApiQuery(ModelsDocument, { productId, first: 50 });
  const summary = useApiQuery(DatasetSummaryDocument, { productId });
  const start = useApiMutation(StartTrainingDocument, [ModelsDocument]);
  const [preset, setPreset] = useState<TrainingPreset>('FAST');
  const [advanced, setAdvanced] = useState<Record<string, string>>({});
  const [picked, setPicked] = useState<string[]>([]);
  const busy = models.data?.models.edges.some((e) => e.node.status === 'QUEUED' || e.node.status === 'TRAINING');
  const ready = summary.data?.datasetSummary.readyToTrain;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const overrides = Object.fromEntries(Object.entries(advanced).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, Number(v)]));
    start.mutate(
      { productId, preset, hyperParameters: Object.keys(overrides).length ? overrides : null },
      { onSuccess: ({ startTraining }) => router.push(`/f/${factoryId}/models/${startTraining.model.id}`) },
    );
  };

  return (
    <>
      {canTrain && (
        <form className="card form" onSubmit={submit} aria-label="Start training">
          <h2>Train a new version</h2>
          <label>
            Preset
            <select value={preset} onChange={(e) => setPreset(e.target.value as TrainingPreset)}>
              {PRESETS.map((p) => (
                <option key={p.preset} value={p.preset}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
          <details>
            <summary>Advanced settings (override the preset)</summary>
            <div className="row advanced">
              {ADVANCED.map((k) => (
                <label key={k} className="filter">
                  {k}
                  <input type="number" step="any" value={advanced[k] ?? ''} onChange={(e) => setAdvanced({ ...advanced, [k]: e.target.value })} />
                </label>
              ))}
            </div>
          </details>
          {!ready && summary.data && <p className="muted small">The dataset is not ready to train yet: see its counts on the Dataset tab.</p>}
          {busy && <p className="muted small">A version of this product is still training; wait for it or cancel it.</p>}
          {start.error && (
            <p className="form-error" role="alert">
              {start.error.message}
            </p>
          )}
          <div>
            <button type="submit" disabled={start.isPending || busy || !ready}>
              Start training
            </button>
          </div>
        </form>
      )}
      <section className="card" aria-label="Model versions">
        <div className="page-head">
          <h2>Versions</h2>
          {picked.length === 2 ? (
            <Link className="button" href={`/f/${factoryId}/products/${productId}/compare?a=${picked[0]}&b=${picked[1]}`}>
              Compare the two
            </Link>
          ) : (
            <span className="muted small">Tick two versions to compare them.</span>
          )}
        </div>
        {models.isPending ? (
          <Loading />
        ) : models.isError ? (
          <ErrorState error={models.error} />
        ) : models.data.models.edges.length === 0 ? (
          <EmptyState title="No model yet">Train the first version once the dataset is ready.</EmptyState>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th>
                  <span className="sr-only">Compare</span>
                </th>
                <th>Version</th>
                <th>Status</th>
                <th>Threshold</th>
                <th>Trained</th>
              </tr>
            </thead>
            <tbody>
              {models.data.models.edges.map(({ node: m }) => (
                <tr key={m.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Compare v${m.version}`}
                      checked={picked.includes(m.id)}
                      onChange={(e) => setPicked((p) => (e.target.checked ? [...p, m.id].slice(-2) : p.filter((x) => x !== m.id)))}
                    />
                  </td>
                  <td>
                    <Link href={`/f/${factoryId}/models/${m.id}`}>v{m.version}</Link> {m.isActive && <span className="pill READY">active</span>}
                  </td>
                  <td>
                    <span className={`pill ${m.status}`}>{m.status.toLowerCase()}</span>
                  </td>
                  <td>{m.threshold?.toPrecision(4) ?? '—'}</td>
                  <td>{formatInstant(m.trainedAt, timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
