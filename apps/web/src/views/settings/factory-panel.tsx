'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { FactorySettingsDocument, SetInspectionRetentionDocument, UpdateFactoryDocument } from '@gansight/client';
import { useFactory } from '../../lib/factory-session';
import { useApiMutation, useApiQuery } from '../../lib/use-api';

/** The factory's time zone (trend buckets start at its local midnight) and how long it keeps inspections. */
export function FactoryPanel() {
  const { factoryId, timeZone } = useFactory();
  const queryClient = useQueryClient();
  const factory = useApiQuery(FactorySettingsDocument, {});
  const update = useApiMutation(UpdateFactoryDocument, [FactorySettingsDocument]);
  const [zone, setZone] = useState(timeZone);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
    } catch {
      return setProblem(`"${zone}" is not an IANA time zone such as Europe/Berlin or Asia/Shanghai.`);
    }
    setProblem(null);
    const settings = { ...((factory.data?.factory.settings ?? {}) as object), timeZone: zone };
    update.mutate({ settings }, { onSuccess: () => void queryClient.invalidateQueries({ queryKey: [factoryId, 'session'] }) });
  };
  return (
    <>
      <form className="card form" onSubmit={submit} aria-label="Factory">
        <h2>Factory</h2>
        <label>
          Time zone (trends are bucketed by its hours, days and weeks)
          <input value={zone} onChange={(e) => setZone(e.target.value)} list="time-zones" />
        </label>
        <datalist id="time-zones">
          {['UTC', 'Europe/Berlin', 'Europe/London', 'America/Chicago', 'America/New_York', 'Asia/Shanghai', 'Asia/Kolkata', 'Asia/Tokyo'].map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        {(problem ?? update.error) && <p className="form-error">{problem ?? update.error?.message}</p>}
        {update.isSuccess && <p className="ok">Saved.</p>}
        <div>
          <button type="submit" disabled={update.isPending}>
            Save
          </button>
        </div>
      </form>
      <RetentionForm days={factory.data?.factory.inspectionRetentionDays} />
    </>
  );
}

/** Inspection retention (ADR 0058): empty keeps inspections forever. The API holds it to 1-3650 days. */
function RetentionForm({ days }: { days: number | null | undefined }) {
  const save = useApiMutation(SetInspectionRetentionDocument, [FactorySettingsDocument]);
  const [value, setValue] = useState('');
  // The stored setting, once loaded (and after each save).
  useEffect(() => setValue(days == null ? '' : String(days)), [days]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ days: value.trim() === '' ? null : Number(value) });
  };
  return (
    <form className="card form" onSubmit={submit} aria-label="Inspection retention">
      <h2>Inspection retention</h2>
      <label>
        Keep inspections for (days; empty keeps them forever)
        <input type="number" min={1} max={3650} step={1} value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <p className="muted small">
        Every hour, inspections older than this are deleted with their heat maps and reconstructions, and line images no
        other inspection uses. Images in the dataset (labelled or given a split, e.g. in review), lots and models stay.
      </p>
      {save.error && <p className="form-error">{save.error.message}</p>}
      {save.isSuccess && <p className="ok">Saved.</p>}
      <div>
        <button type="submit" disabled={save.isPending}>
          Save retention
        </button>
      </div>
    </form>
  );
}
