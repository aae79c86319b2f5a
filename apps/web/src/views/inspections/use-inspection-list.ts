'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { InspectionCompletedDocument, InspectionListDocument, type GansightApiError, type InspectionFilter, type InspectionListQuery } from '@gansight/client';
import { apiClient } from '../../lib/api-client';
import { useFactory } from '../../lib/factory-session';
import { useApiSubscription } from '../../lib/use-api';
import { matchesFilter } from './inspection-filters';

export type InspectionRow = InspectionListQuery['inspections']['edges'][number]['node'];

const PAGE = 100;

/**
 * The inspections page's data: pages of 100 newest first as the grid scrolls, plus every
 * inspection completing now that matches the filter (the live feed, by subscription).
 */
export function useInspectionList(filter: InspectionFilter, live: boolean) {
  const { factoryId } = useFactory();
  const [arrived, setArrived] = useState<{ key: string; rows: InspectionRow[] }>({ key: '', rows: [] });
  const filterKey = JSON.stringify(filter);
  const pages = useInfiniteQuery<InspectionListQuery, GansightApiError>({
    queryKey: [factoryId, 'InspectionList', filter],
    queryFn: ({ pageParam }) => apiClient(factoryId).request(InspectionListDocument, { filter, first: PAGE, after: (pageParam as string | null) ?? null }),
    initialPageParam: null,
    getNextPageParam: (last) => (last.inspections.pageInfo.hasNextPage ? last.inspections.pageInfo.endCursor : undefined),
  });

  const state = useApiSubscription(InspectionCompletedDocument, live ? { productId: filter.productId ?? null } : null, ({ inspectionCompleted: i }) => {
    if (!matchesFilter(i, filter)) return;
    setArrived((prev) => {
      const rows = prev.key === filterKey ? prev.rows : [];
      return { key: filterKey, rows: [{ ...i, reviewedAt: null }, ...rows.filter((r) => r.id !== i.id)] };
    });
  });

  const fresh = arrived.key === filterKey ? arrived.rows : [];
  const { rows, freshIds } = useMemo(() => {
    const loaded = pages.data?.pages.flatMap((p) => p.inspections.edges.map((e) => e.node)) ?? [];
    // A completed inspection may already be in the first page (queued before it loaded): the live copy wins.
    const ids = new Set(fresh.map((r) => r.id));
    return { rows: [...fresh, ...loaded.filter((r) => !ids.has(r.id))], freshIds: ids };
  }, [pages.data, fresh]);
  return { rows, freshIds, pages, liveState: state };
}
