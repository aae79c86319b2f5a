'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { CloseLotDocument, CreateLotDocument, LotsDocument, ProductsDocument } from '@gansight/client';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useCan, useFactory } from '../../lib/factory-session';
import { formatInstant } from '../../lib/time-zone';
import { useApiMutation, useApiQuery } from '../../lib/use-api';
import { useUrlState } from '../../lib/url-state';
import { LotDriftChart } from '../overview/lot-drift-chart';
import { LatentDistances } from './latent-distances';

/** Lots: open ones to submit into, closed ones with the set-level Frechet distance of their latents (the paper's drift measure). */
export function LotsView() {
  const { factoryId, timeZone } = useFactory();
  const router = useRouter();
  const canEdit = useCan('ENGINEER');
  const [params, setParams] = useUrlState();
  const productId = params.get('product');
  const products = useApiQuery(ProductsDocument, { first: 100 });
  const lots = useApiQuery(LotsDocument, { productId, first: 100 }, { refetchInterval: 10_000 });
  const create = useApiMutation(CreateLotDocument, [LotsDocument]);
  const close = useApiMutation(CloseLotDocument, [LotsDocument]);
  const [name, setName] = useState('');
  const names = new Map((products.data?.products.edges ?? []).map((e) => [e.node.id, e.node.name]));
  const list = lots.data?.lots.edges.map((e) => e.node) ?? [];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (productId && name.trim()) create.mutate({ productId, name: name.trim() }, { onSuccess: () => setName('') });
  };
  return (
    <>
      <div className="page-head">
        <h1>Lots</h1>
        <select aria-label="Product" value={productId ?? ''} onChange={(e) => setParams({ product: e.target.value || null })}>
          <option value="">All products</option>
          {[...names.entries()].map(([id, n]) => (
            <option key={id} value={id}>
              {n}
            </option>
          ))}
        </select>
      </div>
      {canEdit && (
        <form className="card row" onSubmit={submit} aria-label="Open a lot">
          <input placeholder="Lot name" value={name} onChange={(e) => setName(e.target.value)} aria-label="Lot name" />
          <button type="submit" disabled={!productId || !name.trim() || create.isPending}>
            Open a lot
          </button>
          {!productId && <span className="muted small">Pick a product first.</span>}
          {create.error && <span className="form-error">{create.error.message}</span>}
        </form>
      )}
      {productId ? <LatentDistances productId={productId} /> : <p className="muted small">Pick a product to see the Frechet distance of its lots beside its defect types.</p>}
      {lots.isPending ? (
        <Loading />
      ) : lots.isError ? (
        <ErrorState error={lots.error} />
      ) : list.length === 0 ? (
        <EmptyState title="No lots">Integrators open lots, submit a batch of parts into one and close it; its drift is then measured.</EmptyState>
      ) : (
        <>
          {list.some((l) => l.frechetDistance != null) && (
            <section className="card">
              <h2>Drift by lot</h2>
              <LotDriftChart lots={list} timeZone={timeZone} onPick={(id) => router.push(`/f/${factoryId}/inspections?lot=${id}`)} />
            </section>
          )}
          <table className="data">
            <thead>
              <tr>
                <th>Lot</th>
                <th>Product</th>
                <th>Status</th>
                <th>Images</th>
                <th>Failed</th>
                <th>Frechet distance</th>
                <th>Closed</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((l) => (
                <tr key={l.id}>
                  <td>
                    <Link href={`/f/${factoryId}/inspections?lot=${l.id}`}>{l.name}</Link>
                  </td>
                  <td>{names.get(l.productId) ?? '…'}</td>
                  <td>{l.status.toLowerCase()}</td>
                  <td>{l.imageCount}</td>
                  <td>{l.failCount}</td>
                  <td>{l.frechetDistance != null ? l.frechetDistance.toPrecision(4) : l.status === 'CLOSED' ? 'measuring…' : '—'}</td>
                  <td>{formatInstant(l.closedAt, timeZone)}</td>
                  <td>
                    {canEdit && l.status === 'OPEN' && (
                      <button type="button" onClick={() => close.mutate({ id: l.id })} disabled={close.isPending}>
                        Close
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
