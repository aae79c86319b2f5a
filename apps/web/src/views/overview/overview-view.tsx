'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo } from 'react';
import { ErrorState, EmptyState, Loading } from '../../components/states';
import { percent } from '../../components/charts/palette';
import { useCan, useFactory } from '../../lib/factory-session';
import { homePath } from '../../lib/roles';
import { bucketEnd, formatBucket } from '../../lib/time-zone';
import { useUrlState } from '../../lib/url-state';
import { BreakdownTable, ChangeBadge, rateChange } from './breakdown-table';
import { DefectRateChart, type PointChoice } from './defect-rate-chart';
import { LotDriftChart } from './lot-drift-chart';
import { rangeFromParams } from './overview-range';
import { RangePicker } from './range-picker';
import { totals, useOverview } from './use-overview';

/** Defect trends for managers; others are sent to the page they may use. */
export function OverviewView() {
  const { factoryId, role } = useFactory();
  const router = useRouter();
  const manager = useCan('MANAGER');
  useEffect(() => {
    if (!manager) router.replace(homePath(factoryId, role));
  }, [manager, factoryId, role, router]);
  return manager ? <ManagerOverview /> : null;
}

function ManagerOverview() {
  const { factoryId, timeZone } = useFactory();
  const router = useRouter();
  const [params, setParams] = useUrlState();
  const paramsKey = params.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const range = useMemo(() => rangeFromParams(params), [paramsKey]);
  const productFilter = params.get('product');
  const data = useOverview(range, productFilter);
  const all = data.breakdown.find((b) => b.group === 'PRODUCT');
  const now = totals(all?.current ?? null);
  const before = totals(all?.previous ?? null);

  const inspectionsOf = (filter: Record<string, string>) => `/f/${factoryId}/inspections?${new URLSearchParams(filter).toString()}`;
  const openPoint = useCallback(
    (c: PointChoice) => {
      const start = new Date(c.bucketStart);
      const query = new URLSearchParams({ product: c.productId, from: start.toISOString(), to: bucketEnd(start, range.bucket, timeZone).toISOString() });
      router.push(`/f/${factoryId}/inspections?${query.toString()}`);
    },
    [router, factoryId, range.bucket, timeZone],
  );

  return (
    <>
      <div className="page-head">
        <h1>Overview</h1>
        <div className="row">
          <select aria-label="Product" value={productFilter ?? ''} onChange={(e) => setParams({ product: e.target.value || null })}>
            <option value="">All products</option>
            {data.allProducts.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <RangePicker range={range} onChange={setParams} />
        </div>
      </div>
      <p className="muted small">Times in {timeZone}. Reviewed verdicts replace the model&apos;s.</p>
      {data.error && <ErrorState error={data.error} onRetry={data.refetch} />}

      <section className="kpis" aria-label="This period">
        <div className="card kpi">
          <span className="muted">Judged inspections</span>
          <strong data-testid="kpi-total">{now ? now.total.toLocaleString() : '…'}</strong>
        </div>
        <div className="card kpi">
          <span className="muted">Defect rate</span>
          <strong data-testid="kpi-rate">{now ? percent(now.rate) : '…'}</strong>
        </div>
        <div className="card kpi">
          <span className="muted">Against the previous period</span>
          <strong>{now && before ? <ChangeBadge change={rateChange(now.rate, before.rate)} /> : '…'}</strong>
          <span className="muted small">was {before ? percent(before.rate) : '…'}</span>
        </div>
      </section>

      <section className="card" aria-labelledby="trend-title">
        <h2 id="trend-title">Defect rate over time</h2>
        {data.productsLoading || (data.trendsLoading && data.trends.every((t) => !t.points)) ? (
          <Loading height={320} />
        ) : data.products.length === 0 ? (
          <EmptyState title="No products yet">Create a product, train its model and send images to see trends.</EmptyState>
        ) : data.trends.every((t) => !t.points?.length) ? (
          <EmptyState title="No inspections in this period">Pick a longer period, or send images from the line.</EmptyState>
        ) : (
          <>
            <DefectRateChart series={data.trends} bucket={range.bucket} timeZone={timeZone} onPick={openPoint} />
            <details>
              <summary>Points as a table</summary>
              <table className="data" aria-label="Defect rate per bucket">
                <thead>
                  <tr>
                    <th>Product</th>
                    <th>Bucket</th>
                    <th>Judged</th>
                    <th>Defect rate</th>
                  </tr>
                </thead>
                <tbody>
                  {data.trends.flatMap((t) =>
                    (t.points ?? []).map((p) => (
                      <tr key={`${t.product.id}:${p.bucketStart}`}>
                        <td>{t.product.name}</td>
                        <td>
                          <Link
                            href={inspectionsOf({
                              product: t.product.id,
                              from: p.bucketStart,
                              to: bucketEnd(new Date(p.bucketStart), range.bucket, timeZone).toISOString(),
                            })}
                          >
                            {formatBucket(p.bucketStart, range.bucket, timeZone)}
                          </Link>
                        </td>
                        <td>{p.pass + p.fail}</td>
                        <td>{percent(p.defectRate)}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </details>
          </>
        )}
      </section>

      <section className="grid-2" aria-label="Breakdown">
        {data.breakdown
          .filter((b) => b.group !== 'PRODUCT' || !productFilter)
          .map((b) => (
            <div className="card" key={b.group}>
              <h2>By {b.label.toLowerCase()}</h2>
              {b.current === null ? (
                <Loading height={120} />
              ) : b.current.length === 0 ? (
                <EmptyState title="Nothing judged in this period" />
              ) : (
                <BreakdownTable label={b.label} current={b.current} previous={b.previous} names={data.names} />
              )}
            </div>
          ))}
      </section>

      <section className="card" aria-labelledby="drift-title">
        <h2 id="drift-title">Lot drift</h2>
        <p className="muted small">Frechet distance of each closed lot&apos;s latent codes to the qualified reference; higher is further from what the model learned.</p>
        {data.lots === null ? (
          <Loading height={260} />
        ) : data.lots.every((l) => l.frechetDistance == null) ? (
          <EmptyState title="No measured lots in this period">Close a lot to have its drift measured.</EmptyState>
        ) : (
          <LotDriftChart lots={data.lots} timeZone={timeZone} onPick={(lotId) => router.push(inspectionsOf({ lot: lotId }))} />
        )}
      </section>
    </>
  );
}
