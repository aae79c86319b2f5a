'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface LossSample {
  step: number;
  d?: number;
  g?: number;
  dReal?: number;
  dFake?: number;
}

/** Generator and discriminator losses by step, and beside them D(x) and D(G(z)): a healthy GAN keeps both away from 0 and 1. */
export function LossesChart({ samples, totalSteps }: { samples: LossSample[]; totalSteps?: number }) {
  const domain: [number, number | string] = [0, totalSteps ?? 'auto'];
  return (
    <div className="grid-2">
      <div className="chart" style={{ height: 220 }} data-testid="losses-chart" data-points={samples.length}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={samples}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis dataKey="step" type="number" domain={domain} fontSize={11} />
            <YAxis fontSize={11} width={44} />
            <Tooltip />
            <Legend />
            <Line dataKey="d" name="D loss" stroke="#0072B2" dot={false} isAnimationActive={false} />
            <Line dataKey="g" name="G loss" stroke="#D55E00" dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <div className="chart" style={{ height: 220 }}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={samples}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis dataKey="step" type="number" domain={domain} fontSize={11} />
            <YAxis fontSize={11} width={44} domain={[0, 1]} />
            <Tooltip />
            <Legend />
            <Line dataKey="dReal" name="D(x)" stroke="#009E73" dot={false} isAnimationActive={false} />
            <Line dataKey="dFake" name="D(G(z))" stroke="#CC79A7" dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
