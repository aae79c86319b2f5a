'use client';

import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TrendBucket } from '@gansight/client';
import { percent, seriesColour } from '../../components/charts/palette';
import { formatBucket } from '../../lib/time-zone';
import type { TrendPoint } from './use-overview';

export interface TrendSeries {
  product: { id: string; name: string };
  points: TrendPoint[] | null;
}

/** One clicked point: which product and which bucket. */
export interface PointChoice {
  productId: string;
  bucketStart: string;
}

type Row = { bucketStart: string } & Record<string, number | string | null>;

/** Rows by bucket with one defect-rate column per product (recharts' wide layout). */
function toRows(series: TrendSeries[]): Row[] {
  const rows = new Map<string, Row>();
  for (const s of series) {
    for (const p of s.points ?? []) {
      const row = rows.get(p.bucketStart) ?? { bucketStart: p.bucketStart };
      row[`rate:${s.product.id}`] = p.defectRate;
      row[`total:${s.product.id}`] = p.total;
      rows.set(p.bucketStart, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.bucketStart.localeCompare(b.bucketStart));
}

/**
 * Defect rate over time, one line per product, buckets in the factory's zone. A click on a
 * point opens that product's inspections of that bucket.
 */
export const DefectRateChart = memo(function DefectRateChart({ series, bucket, timeZone, onPick }: { series: TrendSeries[]; bucket: TrendBucket; timeZone: string; onPick: (c: PointChoice) => void }) {
  const rows = useMemo(() => toRows(series), [series]);
  return (
    <div className="chart" style={{ height: 320 }} data-testid="defect-rate-chart" data-points={rows.length}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis dataKey="bucketStart" tickFormatter={(v: string) => formatBucket(v, bucket, timeZone)} minTickGap={24} fontSize={12} />
          <YAxis tickFormatter={(v: number) => percent(v, 0)} fontSize={12} width={48} domain={[0, 'auto']} />
          <Tooltip
            labelFormatter={(v) => formatBucket(String(v), bucket, timeZone)}
            formatter={(value, name, item) => {
              const id = String(name).replace(/^rate:/, '');
              const total = (item.payload as Row)[`total:${id}`];
              return [`${percent(value as number)} of ${total ?? 0}`, series.find((s) => s.product.id === id)?.product.name ?? id];
            }}
          />
          <Legend formatter={(v: string) => series.find((s) => `rate:${s.product.id}` === v)?.product.name ?? v} />
          {series.map((s, i) => (
            <Line
              key={s.product.id}
              type="monotone"
              dataKey={`rate:${s.product.id}`}
              stroke={seriesColour(i)}
              strokeWidth={2}
              connectNulls
              isAnimationActive={false}
              dot={{ r: 3 }}
              activeDot={{
                r: 6,
                cursor: 'pointer',
                onClick: (_event: unknown, dot: unknown) => {
                  const row = (dot as { payload?: Row }).payload;
                  if (row) onPick({ productId: s.product.id, bucketStart: row.bucketStart });
                },
              }}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
});
