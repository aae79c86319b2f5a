'use client';

import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { LotDriftQuery } from '@gansight/client';
import { formatInstant } from '../../lib/time-zone';

type Lot = LotDriftQuery['lots']['edges'][number]['node'];

/**
 * The paper's set-level drift: each closed lot's Frechet distance to the qualified reference,
 * over time. A rising cloud means the line is moving away from what the model learned.
 */
export function LotDriftChart({ lots, timeZone, onPick }: { lots: Lot[]; timeZone: string; onPick: (lotId: string) => void }) {
  const points = lots
    .filter((l) => l.frechetDistance != null)
    .map((l) => ({ id: l.id, name: l.name, t: new Date(l.closedAt ?? l.createdAt).getTime(), fd: l.frechetDistance, fails: l.failCount, images: l.imageCount }));
  return (
    <div className="chart" style={{ height: 260 }} data-testid="lot-drift-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ScatterChart margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis dataKey="t" type="number" domain={['auto', 'auto']} scale="time" tickFormatter={(v: number) => formatInstant(new Date(v), timeZone)} fontSize={12} name="Closed" />
          <YAxis dataKey="fd" name="Frechet distance" fontSize={12} width={56} tickFormatter={(v: number) => v.toPrecision(3)} />
          <Tooltip
            cursor={{ strokeDasharray: '3 3' }}
            content={({ payload }) => {
              const p = payload?.[0]?.payload as (typeof points)[number] | undefined;
              if (!p) return null;
              return (
                <div className="tooltip">
                  <strong>{p.name}</strong>
                  <div>Frechet distance {p.fd?.toPrecision(4)}</div>
                  <div>
                    {p.fails} of {p.images} failed
                  </div>
                  <div className="muted">{formatInstant(new Date(p.t), timeZone)}</div>
                </div>
              );
            }}
          />
          <Scatter data={points} fill="#0072B2" isAnimationActive={false} cursor="pointer" onClick={(p: unknown) => onPick((p as { id: string }).id)} />
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}
