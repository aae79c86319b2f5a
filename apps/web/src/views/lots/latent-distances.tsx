'use client';

import { useState } from 'react';
import { LatentDistancesDocument } from '@gansight/client';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useApiQuery } from '../../lib/use-api';
import { latentDistanceRows } from './latent-distance-rows';

/** Frechet distance to the qualified reference per defect type and per lot, for one model of a product. */
export function LatentDistances({ productId }: { productId: string }) {
  const query = useApiQuery(LatentDistancesDocument, { productId }, { refetchInterval: 10_000 });
  const [picked, setPicked] = useState<string | null>(null);
  const models = (query.data?.models.edges ?? []).map((e) => e.node).filter((m) => m.status === 'READY');
  const model = models.find((m) => m.id === picked) ?? models.find((m) => m.isActive) ?? models[0];
  return (
    <section className="card" aria-label="Latent distance per defect type">
      <div className="page-head">
        <h2>Frechet distance per defect type</h2>
        {models.length > 1 && model && (
          <select aria-label="Model" value={model.id} onChange={(e) => setPicked(e.target.value)}>
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                v{m.version}
                {m.isActive ? ' (active)' : ''}
              </option>
            ))}
          </select>
        )}
      </div>
      <p className="muted small">
        Each set of latent codes against the model&apos;s qualified reference, as in the paper&apos;s Tables I and II: its generated samples, the labelled test images of each defect type (from
        its latest evaluation) and the closed lots measured against it. Smaller is closer to qualified parts.
      </p>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorState error={query.error} />
      ) : !model ? (
        <EmptyState title="No trained model">Train a model of this product to measure distances.</EmptyState>
      ) : (
        <table className="data" aria-label="Frechet distance per defect type">
          <thead>
            <tr>
              <th>Latent vectors</th>
              <th>Kind</th>
              <th>Images</th>
              <th>Frechet distance</th>
            </tr>
          </thead>
          <tbody>
            {latentDistanceRows(model, (query.data?.lots.edges ?? []).map((e) => e.node)).map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.name}</th>
                <td>{r.kind}</td>
                <td>{r.count ?? '—'}</td>
                <td>{r.frechet != null ? r.frechet.toPrecision(4) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
