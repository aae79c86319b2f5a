'use client';

import { useCallback, useMemo } from 'react';
import { useQueries, type UseQueryResult } from '@tanstack/react-query';
import {
  DefectBreakdownDocument,
  DefectTrendsDocument,
  DefectTypesDocument,
  LotDriftDocument,
  ProductsDocument,
  type BreakdownGroup,
  type DefectBreakdownQuery,
  type DefectTrendsQuery,
  type GansightApiError,
} from '@gansight/client';
import { apiClient } from '../../lib/api-client';
import { useFactory } from '../../lib/factory-session';
import { useApiQuery } from '../../lib/use-api';
import { previousPeriod, type OverviewRange } from './overview-range';

export const BREAKDOWN_GROUPS: Array<{ group: BreakdownGroup; label: string }> = [
  { group: 'PRODUCT', label: 'Product' },
  { group: 'LINE', label: 'Line' },
  { group: 'STATION', label: 'Station' },
  { group: 'DEFECT_TYPE', label: 'Defect type' },
];

export type TrendPoint = DefectTrendsQuery['defectTrends'][number];
export type BreakdownRow = DefectBreakdownQuery['defectBreakdown'][number];

/**
 * Everything the overview shows, as the API aggregates it (rollups in the database, ADR 0008):
 * defect rate per product per bucket, the breakdowns of this period and of the one before, and
 * the closed lots' drift. One hook, so the view itself only lays out charts.
 */
export function useOverview(range: OverviewRange, productFilter: string | null) {
  const { factoryId, timeZone } = useFactory();
  const client = apiClient(factoryId);
  const products = useApiQuery(ProductsDocument, { first: 100 });
  const allProducts = useMemo(() => (products.data?.products.edges ?? []).map((e) => e.node), [products.data]);
  const productList = useMemo(() => allProducts.filter((p) => !productFilter || p.id === productFilter), [allProducts, productFilter]);
  const combineTrends = useCallback(
    (results: UseQueryResult<DefectTrendsQuery, Error>[]) => ({
      series: results.map((q, i) => ({ product: productList[i]!, points: q.data?.defectTrends ?? null })),
      pending: results.some((q) => q.isPending),
      error: (results.find((q) => q.isError)?.error ?? null) as GansightApiError | null,
      refetch: () => results.forEach((q) => void q.refetch()),
    }),
    [productList],
  );
  const span = { from: range.from.toISOString(), to: range.to.toISOString() };
  const previous = previousPeriod(range);
  const before = { from: previous.from.toISOString(), to: previous.to.toISOString() };

  // `combine` keeps the result's identity while no query changed, so the chart (memoised) is not
  // redrawn each time one of the other dozen overview queries arrives.
  const trends = useQueries({
    queries: productList.map((p) => ({
      queryKey: [factoryId, 'DefectTrends', p.id, span, range.bucket, timeZone],
      queryFn: () => client.request(DefectTrendsDocument, { ...span, bucket: range.bucket, timeZone, productId: p.id }),
    })),
    combine: combineTrends,
  });

  const breakdown = useQueries({
    queries: BREAKDOWN_GROUPS.flatMap(({ group }) =>
      [span, before].map((period) => ({
        queryKey: [factoryId, 'DefectBreakdown', group, period, productFilter],
        queryFn: () => client.request(DefectBreakdownDocument, { ...period, groupBy: group, productId: productFilter }),
      })),
    ),
  });

  const defectTypes = useQueries({
    queries: productList.map((p) => ({
      queryKey: [factoryId, 'DefectTypes', p.id],
      queryFn: () => client.request(DefectTypesDocument, { productId: p.id, first: 100 }),
      staleTime: 60_000,
    })),
  });

  const lots = useApiQuery(LotDriftDocument, { productId: productFilter, createdAfter: span.from, createdBefore: span.to, first: 100 });

  const names = new Map<string, string>();
  for (const p of products.data?.products.edges ?? []) names.set(p.node.id, p.node.name);
  for (const q of defectTypes) for (const e of q.data?.defectTypes.edges ?? []) names.set(e.node.id, e.node.name);

  const firstError = (trends.error ?? [products, lots, ...breakdown].find((q) => q.isError)?.error) as GansightApiError | undefined;
  return {
    products: productList,
    allProducts,
    productsLoading: products.isPending,
    trends: trends.series,
    trendsLoading: trends.pending,
    breakdown: BREAKDOWN_GROUPS.map(({ group, label }, i) => ({
      group,
      label,
      current: breakdown[2 * i]?.data?.defectBreakdown ?? null,
      previous: breakdown[2 * i + 1]?.data?.defectBreakdown ?? null,
    })),
    lots: lots.data?.lots.edges.map((e) => e.node) ?? null,
    /** Readable names of product and defect-type ids (breakdown keys). */
    names,
    error: firstError ?? null,
    refetch: () => {
      void products.refetch();
      void lots.refetch();
      trends.refetch();
      for (const q of breakdown) void q.refetch();
    },
  };
}

/** Totals of a set of breakdown rows (one group's rows add up to every judged inspection). */
export function totals(rows: BreakdownRow[] | null): { total: number; fail: number; rate: number | null } | null {
  if (!rows) return null;
  const pass = rows.reduce((s, r) => s + r.pass, 0);
  const fail = rows.reduce((s, r) => s + r.fail, 0);
  return { total: rows.reduce((s, r) => s + r.total, 0), fail, rate: pass + fail > 0 ? fail / (pass + fail) : null };
}
