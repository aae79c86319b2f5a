'use client';

import Link from 'next/link';
import { useParams } from 'next/navigation';
import { InspectionDetailDocument, ProductDocument } from '@gansight/client';
import { ScoreScale } from '../../components/score-scale';
import { ErrorState, Loading } from '../../components/states';
import { useCan, useFactory } from '../../lib/factory-session';
import { formatInstant } from '../../lib/time-zone';
import { useApiQuery } from '../../lib/use-api';
import { HeatMapViewer } from './heat-map-viewer';
import { Verdict } from './inspection-grid';
import { LiveInversion } from './live-inversion';
import { ReviewActions } from './review-actions';

const fmt = (v: number | null | undefined) => (v == null ? '—' : v.toPrecision(4));

/** One inspection: verdict, score against the threshold, input with heat map, reconstruction; live while it runs. */
export function InspectionDetailView() {
  const { inspectionId } = useParams<{ inspectionId: string }>();
  const { factoryId, timeZone } = useFactory();
  const canReview = useCan('MANAGER');
  const detail = useApiQuery(InspectionDetailDocument, { id: inspectionId }, {
    // A safety net beside the live events: a running inspection is read again every few seconds.
    refetchInterval: (q) => (q.state.data && ['QUEUED', 'RUNNING'].includes(q.state.data.inspection.status) ? 5000 : false),
  });
  const i = detail.data?.inspection;
  const product = useApiQuery(ProductDocument, { id: i?.productId ?? '' }, { enabled: !!i });
  if (detail.isPending) return <Loading height={500} />;
  if (detail.isError || !i) return <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />;
  const running = i.status === 'QUEUED' || i.status === 'RUNNING';
  const base = `/f/${factoryId}`;

  return (
    <>
      <div className="page-head">
        <h1>
          Inspection <Verdict row={i} />
          {i.reviewVerdict && <span className={`pill ${i.reviewVerdict}`}>reviewed {i.reviewVerdict}</span>}
        </h1>
        <Link href={`${base}/inspections?product=${i.productId}`}>← {product.data?.product.name ?? 'Inspections'}</Link>
      </div>
      <p className="muted">
        {formatInstant(i.createdAt, timeZone)}
        {i.line && ` · line ${i.line}`}
        {i.station && ` · station ${i.station}`}
        {i.lotId && (
          <>
            {' · '}
            <Link href={`${base}/inspections?lot=${i.lotId}`}>lot</Link>
          </>
        )}
        {' · '}
        <Link href={`${base}/models/${i.modelId}`}>model</Link>
      </p>
      {i.status === 'FAILED' && <ErrorState error={{ code: i.errorCode, message: i.errorMessage ?? 'The worker could not score this image.' }} />}
      {running && <LiveInversion inspectionId={i.id} onFinished={() => void detail.refetch()} />}
      {i.status === 'DONE' && (
        <section className="card">
          <h2>Score against the threshold</h2>
          <ScoreScale score={i.normalizedScore} anomalyScore={i.anomalyScore} threshold={i.threshold} />
          {canReview && <ReviewActions inspection={i} onReviewed={() => void detail.refetch()} />}
        </section>
      )}
      <section className="detail-images">
        <div className="card">
          <h2>Input and heat map</h2>
          <HeatMapViewer inputUrl={i.image.url} heatMapUrl={i.residualUrl} alt="Inspected image" />
        </div>
        <div className="card">
          <h2>Reconstruction G(z*)</h2>
          {i.reconstructionUrl ? (
            // eslint-disable-next-line @next/next/no-img-element
            <img className="pixelated square" src={i.reconstructionUrl} alt="Reconstruction by the generator" />
          ) : (
            <div className="square placeholder muted small">{running ? 'being reconstructed…' : 'none'}</div>
          )}
          <table className="data scores">
            <tbody>
              <tr>
                <th>Anomaly score</th>
                <td>{fmt(i.anomalyScore)}</td>
              </tr>
              <tr>
                <th>Threshold</th>
                <td>{fmt(i.threshold)}</td>
              </tr>
              <tr>
                <th>Reconstruction loss</th>
                <td>{fmt(i.reconstructionLoss)}</td>
              </tr>
              <tr>
                <th>Latent distance</th>
                <td>{fmt(i.latentDistance)}</td>
              </tr>
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
