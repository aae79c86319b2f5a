import { percent } from '../../components/charts/palette';
import type { BreakdownRow } from './use-overview';

/** Change of defect rate in percentage points, signed; null when either side judged nothing. */
export function rateChange(current: number | null | undefined, previous: number | null | undefined): number | null {
  return current == null || previous == null ? null : current - previous;
}

export function ChangeBadge({ change }: { change: number | null }) {
  if (change === null) return <span className="muted">—</span>;
  const points = (change * 100).toFixed(1);
  // More defects is bad news; the colour says so before the number is read.
  const cls = Math.abs(change) < 0.0005 ? 'muted' : change > 0 ? 'bad' : 'ok';
  return <span className={cls}>{change > 0 ? `+${points}` : points} pp</span>;
}

/** One breakdown (line, station, defect type, product): rate with a bar, and change against the period before. */
export function BreakdownTable({ label, current, previous, names }: { label: string; current: BreakdownRow[]; previous: BreakdownRow[] | null; names: Map<string, string> }) {
  const before = new Map((previous ?? []).map((r) => [r.key, r]));
  const rows = [...current].sort((a, b) => (b.defectRate ?? -1) - (a.defectRate ?? -1));
  const max = Math.max(0.0001, ...rows.map((r) => r.defectRate ?? 0));
  return (
    <div className="table-scroll">
    <table className="data breakdown" aria-label={`Defect rate by ${label.toLowerCase()}`}>
      <thead>
        <tr>
          <th>{label}</th>
          <th>Judged</th>
          <th style={{ width: '40%' }}>Defect rate</th>
          <th>vs previous</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key ?? '(none)'}>
            <td>{r.key === null ? <span className="muted">(none)</span> : (names.get(r.key) ?? r.key)}</td>
            <td>{r.pass + r.fail}</td>
            <td>
              <div className="bar-cell">
                <span className="bar" style={{ width: `${((r.defectRate ?? 0) / max) * 100}%` }} />
                <span>{percent(r.defectRate)}</span>
              </div>
            </td>
            <td>
              <ChangeBadge change={rateChange(r.defectRate, before.get(r.key)?.defectRate)} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}
