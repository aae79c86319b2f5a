'use client';

import { useEffect, useMemo, useState } from 'react';
import { ProductsDocument } from '@gansight/client';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useFactory } from '../../lib/factory-session';
import { formatInstant } from '../../lib/time-zone';
import { useApiQuery } from '../../lib/use-api';
import { useUrlState } from '../../lib/url-state';
import { filterFromParams } from './inspection-filters';
import { InspectionGrid } from './inspection-grid';
import { useInspectionList } from './use-inspection-list';

/** A text filter that writes to the URL when typing pauses, not on every key. */
function TextFilter({ label, value, onChange, type = 'text', step }: { label: string; value: string; onChange: (v: string) => void; type?: string; step?: string }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => onChange(text), 400);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);
  return (
    <label className="filter">
      {label}
      <input type={type} step={step} min={type === 'number' ? 0 : undefined} max={type === 'number' ? 1 : undefined} value={text} onChange={(e) => setText(e.target.value)} />
    </label>
  );
}

export function InspectionsView() {
  const { factoryId, timeZone } = useFactory();
  const [params, setParams] = useUrlState();
  const paramsKey = params.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const filter = useMemo(() => filterFromParams(params), [paramsKey]);
  const live = params.get('live') !== 'off';
  const products = useApiQuery(ProductsDocument, { first: 100 });
  const productNames = useMemo(() => new Map((products.data?.products.edges ?? []).map((e) => [e.node.id, e.node.name])), [products.data]);
  const list = useInspectionList(filter, live);
  const select = (key: string, label: string, options: Array<[string, string]>) => (
    <label className="filter">
      {label}
      <select value={params.get(key) ?? ''} onChange={(e) => setParams({ [key]: e.target.value || null })}>
        <option value="">any</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <>
      <div className="page-head">
        <h1>Inspections</h1>
        <label className="row live-toggle">
          <input type="checkbox" checked={live} onChange={(e) => setParams({ live: e.target.checked ? null : 'off' })} />
          Live
          <span className={`live-dot ${live && list.liveState === 'live' ? 'on' : ''}`} aria-label={live ? `live feed ${list.liveState}` : 'live feed off'} />
        </label>
      </div>
      <form className="filters card" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        {select('product', 'Product', [...productNames.entries()])}
        {select('verdict', 'Verdict', [['PASS', 'PASS'], ['FAIL', 'FAIL']])}
        {select('status', 'Status', [['DONE', 'done'], ['QUEUED', 'queued'], ['RUNNING', 'running'], ['FAILED', 'error']])}
        {select('reviewed', 'Reviewed', [['yes', 'reviewed'], ['no', 'not reviewed']])}
        <TextFilter label="Score from" type="number" step="0.05" value={params.get('min') ?? ''} onChange={(v) => setParams({ min: v })} />
        <TextFilter label="Score to" type="number" step="0.05" value={params.get('max') ?? ''} onChange={(v) => setParams({ max: v })} />
        <TextFilter label="Line" value={params.get('line') ?? ''} onChange={(v) => setParams({ line: v })} />
        <TextFilter label="Station" value={params.get('station') ?? ''} onChange={(v) => setParams({ station: v })} />
        {(params.get('from') || params.get('to')) && (
          <span className="chip">
            {formatInstant(params.get('from'), timeZone)} – {formatInstant(params.get('to'), timeZone)}
            <button type="button" aria-label="Clear the period" onClick={() => setParams({ from: null, to: null })}>
              ×
            </button>
          </span>
        )}
        {params.get('lot') && (
          <span className="chip">
            Lot {params.get('lot')?.slice(-6)}
            <button type="button" aria-label="Clear the lot" onClick={() => setParams({ lot: null })}>
              ×
            </button>
          </span>
        )}
      </form>
      {list.pages.isError ? (
        <ErrorState error={list.pages.error} onRetry={() => void list.pages.refetch()} />
      ) : list.pages.isPending ? (
        <Loading height={560} />
      ) : list.rows.length === 0 ? (
        <EmptyState title="No inspections match">
          {Object.keys(filter).length ? 'Loosen the filters, or wait: new results appear here live.' : 'Results from the line appear here as they arrive.'}
        </EmptyState>
      ) : (
        <InspectionGrid
          rows={list.rows}
          freshIds={list.freshIds}
          productNames={productNames}
          timeZone={timeZone}
          base={`/f/${factoryId}/inspections`}
          hasMore={list.pages.hasNextPage}
          loadingMore={list.pages.isFetchingNextPage}
          onNeedMore={() => void list.pages.fetchNextPage()}
        />
      )}
      <p className="muted small">{list.rows.length.toLocaleString()} shown{list.pages.hasNextPage ? ', more as you scroll' : ''}.</p>
    </>
  );
}
