'use client';

import type { TrendBucket } from '@gansight/client';
import { RANGE_PRESETS, type OverviewRange } from './overview-range';

/** Local datetime-input value (yyyy-mm-ddThh:mm) of an instant, in the browser's zone. */
function inputValue(d: Date): string {
  const local = new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** Presets, a custom from/to and the bucket size; every choice goes to the URL. */
export function RangePicker({ range, onChange }: { range: OverviewRange; onChange: (patch: Record<string, string | null>) => void }) {
  return (
    <div className="row range-picker" role="group" aria-label="Period">
      <label>
        <span className="sr-only">Period</span>
        <select aria-label="Period" value={range.key} onChange={(e) => onChange(e.target.value === 'custom' ? { range: null, from: range.from.toISOString(), to: range.to.toISOString() } : { range: e.target.value, from: null, to: null, bucket: null })}>
          {RANGE_PRESETS.map((p) => (
            <option key={p.key} value={p.key}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </label>
      {range.key === 'custom' && (
        <>
          <label>
            From <input type="datetime-local" value={inputValue(range.from)} onChange={(e) => e.target.value && onChange({ from: new Date(e.target.value).toISOString() })} />
          </label>
          <label>
            To <input type="datetime-local" value={inputValue(range.to)} onChange={(e) => e.target.value && onChange({ to: new Date(e.target.value).toISOString() })} />
          </label>
        </>
      )}
      <label>
        <span className="sr-only">Bucket</span>
        <select aria-label="Bucket" value={range.bucket} onChange={(e) => onChange({ bucket: e.target.value as TrendBucket })}>
          <option value="HOUR">by hour</option>
          <option value="DAY">by day</option>
          <option value="WEEK">by week</option>
        </select>
      </label>
    </div>
  );
}
