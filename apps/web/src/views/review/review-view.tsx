'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { AssignImageSplitDocument, LabelImageDocument, ProductsDocument, ReviewInspectionDocument, ReviewQueueDocument, type ReviewQueueQuery, type Verdict } from '@gansight/client';
import { ScoreScale } from '../../components/score-scale';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useCan, useFactory } from '../../lib/factory-session';
import { useApiMutation, useApiQuery } from '../../lib/use-api';
import { useUrlState } from '../../lib/url-state';
import { HeatMapViewer } from '../inspections/heat-map-viewer';

type Item = ReviewQueueQuery['reviewQueue'][number];

/**
 * Unreviewed verdicts nearest the threshold first. Keys: J/K or arrows move, C confirms, O
 * overturns, D adds the image to the dataset after an overturn (a false alarm to TRAIN as
 * qualified, a missed defect to TEST as defective), so the next training learns from the line.
 */
export function ReviewView() {
  const { factoryId } = useFactory();
  const canAddToDataset = useCan('ENGINEER');
  const [params, setParams] = useUrlState();
  const productId = params.get('product');
  const products = useApiQuery(ProductsDocument, { first: 100 });
  const queue = useApiQuery(ReviewQueueDocument, { productId, first: 50 });
  const review = useApiMutation(ReviewInspectionDocument);
  const label = useApiMutation(LabelImageDocument);
  const split = useApiMutation(AssignImageSplitDocument);
  const [index, setIndex] = useState(0);
  const [done, setDone] = useState<Record<string, Verdict>>({});
  const [added, setAdded] = useState<Record<string, string>>({});
  const items = queue.data?.reviewQueue ?? [];
  const current: Item | undefined = items[index];

  const decide = (overturn: boolean) => {
    if (!current?.verdict) return;
    const verdict: Verdict = overturn ? (current.verdict === 'PASS' ? 'FAIL' : 'PASS') : current.verdict;
    review.mutate({ id: current.id, verdict }, {
      onSuccess: () => {
        setDone((d) => ({ ...d, [current.id]: verdict }));
        if (!overturn) setIndex((i) => Math.min(items.length - 1, i + 1));
      },
    });
  };
  const addToDataset = async () => {
    const verdict = current && done[current.id];
    if (!current || !verdict || verdict === current.verdict || !canAddToDataset) return;
    // Overturned FAIL -> PASS is a false alarm: a good part the model should learn; PASS -> FAIL a missed defect to test on.
    const falseAlarm = verdict === 'PASS';
    await label.mutateAsync({ id: current.image.id, label: falseAlarm ? 'QUALIFIED' : 'DEFECTIVE', defectTypeId: null });
    await split.mutateAsync({ ids: [current.image.id], split: falseAlarm ? 'TRAIN' : 'TEST' });
    setAdded((a) => ({ ...a, [current.id]: falseAlarm ? 'added to the training set' : 'added to the test set' }));
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement || e.metaKey || e.ctrlKey || e.altKey) return;
      const key = e.key.toLowerCase();
      if (key === 'j' || key === 'arrowdown') setIndex((i) => Math.min(items.length - 1, i + 1));
      else if (key === 'k' || key === 'arrowup') setIndex((i) => Math.max(0, i - 1));
      else if (key === 'c') decide(false);
      else if (key === 'o') decide(true);
      else if (key === 'd') void addToDataset();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <>
      <div className="page-head">
        <h1>Review</h1>
        <select aria-label="Product" value={productId ?? ''} onChange={(e) => { setIndex(0); setParams({ product: e.target.value || null }); }}>
          <option value="">All products</option>
          {(products.data?.products.edges ?? []).map((p) => (
            <option key={p.node.id} value={p.node.id}>
              {p.node.name}
            </option>
          ))}
        </select>
      </div>
      <p className="muted small">
        Closest to the threshold first. Keys: <kbd>J</kbd>/<kbd>K</kbd> next/previous, <kbd>C</kbd> confirm, <kbd>O</kbd> overturn, <kbd>D</kbd> add an overturned image to the dataset.
      </p>
      {queue.isPending ? (
        <Loading height={400} />
      ) : queue.isError ? (
        <ErrorState error={queue.error} onRetry={() => void queue.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="Nothing to review">Every judged inspection has been reviewed.</EmptyState>
      ) : (
        <div className="review-layout">
          <ol className="review-list" aria-label="Queue">
            {items.map((it, i) => (
              <li key={it.id} aria-current={i === index ? 'true' : undefined}>
                <button type="button" className="link-button" onClick={() => setIndex(i)}>
                  <span className={`pill ${it.verdict}`}>{it.verdict}</span> {it.normalizedScore?.toFixed(3)}
                  {done[it.id] && <span className="muted small"> → {done[it.id] === it.verdict ? 'confirmed' : `overturned to ${done[it.id]}`}</span>}
                </button>
              </li>
            ))}
          </ol>
          {current && (
            <section className="card" aria-label="Inspection to review">
              <div className="page-head">
                <h2>
                  {index + 1} of {items.length}: model says <span className={`pill ${current.verdict}`}>{current.verdict}</span>
                </h2>
                <Link href={`/f/${factoryId}/inspections/${current.id}`}>Open</Link>
              </div>
              <ScoreScale score={current.normalizedScore} anomalyScore={current.anomalyScore} threshold={current.threshold} />
              <div className="review-image">
                <HeatMapViewer inputUrl={current.image.url} heatMapUrl={current.residualUrl} alt="Inspected image" />
              </div>
              <div className="row">
                <button type="button" className="primary" onClick={() => decide(false)} disabled={review.isPending}>
                  Confirm {current.verdict} <kbd>C</kbd>
                </button>
                <button type="button" className="danger" onClick={() => decide(true)} disabled={review.isPending}>
                  Overturn <kbd>O</kbd>
                </button>
                {canAddToDataset && done[current.id] && done[current.id] !== current.verdict && !added[current.id] && (
                  <button type="button" onClick={() => void addToDataset()}>
                    {done[current.id] === 'PASS' ? 'Add to training set (qualified)' : 'Add to test set (defective)'} <kbd>D</kbd>
                  </button>
                )}
                {done[current.id] && <span role="status">{done[current.id] === current.verdict ? 'Confirmed.' : `Overturned to ${done[current.id]}.`} {added[current.id] ?? ''}</span>}
              </div>
              {(review.error ?? label.error ?? split.error) && <p className="form-error">{(review.error ?? label.error ?? split.error)!.message}</p>}
            </section>
          )}
        </div>
      )}
    </>
  );
}
