'use client';

import Link from 'next/link';
import { memo, useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ScoreBar } from '../../components/score-scale';
import { formatInstant } from '../../lib/time-zone';
import type { InspectionRow } from './use-inspection-list';

const ROW_HEIGHT = 40;

/**
 * Inspections in a virtualised grid: only the rows in view are in the DOM, so 10,000 rows scroll
 * as smoothly as 10. Fixed row height and a fixed-height scroller: rows arriving live or pages
 * loading never move the rest of the page.
 */
export function InspectionGrid({
  rows, freshIds, productNames, timeZone, base, hasMore, loadingMore, onNeedMore,
}: {
  rows: InspectionRow[];
  freshIds: Set<string>;
  productNames: Map<string, string>;
  timeZone: string;
  base: string;
  hasMore: boolean;
  loadingMore: boolean;
  onNeedMore: () => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length + (hasMore ? 1 : 0), getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtual.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (last && last.index >= rows.length - 1 && hasMore && !loadingMore) onNeedMore();
  }, [last, rows.length, hasMore, loadingMore, onNeedMore]);

  return (
    <div className="grid-table" role="table" aria-label="Inspections" aria-rowcount={rows.length}>
      <div className="grid-row grid-head" role="row">
        <span role="columnheader">Time</span>
        <span role="columnheader">Product</span>
        <span role="columnheader">Verdict</span>
        <span role="columnheader">Score</span>
        <span role="columnheader">Line</span>
        <span role="columnheader">Station</span>
        <span role="columnheader">Reviewed</span>
      </div>
      <div ref={scroller} className="grid-scroll" data-testid="inspection-scroller">
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const r = rows[item.index];
            return (
              <div
                key={r?.id ?? 'more'}
                role="row"
                className={`grid-row${r && freshIds.has(r.id) ? ' fresh' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              >
                {r ? (
                  <RowCells row={r} productName={productNames.get(r.productId)} timeZone={timeZone} base={base} />
                ) : (
                  <span role="cell" className="muted">
                    Loading more…
                  </span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** One row's cells; memoised, so scrolling re-renders only rows that enter the view. */
const RowCells = memo(function RowCells({ row: r, productName, timeZone, base }: { row: InspectionRow; productName: string | undefined; timeZone: string; base: string }) {
  return (
    <>
      <span role="cell">
        <Link href={`${base}/${r.id}`} prefetch={false}>
          {formatInstant(r.createdAt, timeZone)}
        </Link>
      </span>
      <span role="cell">{productName ?? '…'}</span>
      <span role="cell">
        <Verdict row={r} />
      </span>
      <span role="cell">
        <ScoreBar score={r.normalizedScore} />
      </span>
      <span role="cell">{r.line ?? ''}</span>
      <span role="cell">{r.station ?? ''}</span>
      <span role="cell">{r.reviewVerdict ? <span className={`pill ${r.reviewVerdict}`}>{r.reviewVerdict === r.verdict ? 'confirmed' : `→ ${r.reviewVerdict}`}</span> : ''}</span>
    </>
  );
});

export function Verdict({ row }: { row: Pick<InspectionRow, 'status' | 'verdict' | 'errorCode'> }) {
  if (row.status === 'DONE') return <span className={`pill ${row.verdict}`}>{row.verdict}</span>;
  if (row.status === 'FAILED') return <span className="pill FAILED" title={row.errorCode ?? ''}>error</span>;
  return <span className={`pill ${row.status}`}>{row.status.toLowerCase()}</span>;
}
