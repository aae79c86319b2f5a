'use client';

import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { FactorySettingsDocument, UpdateFactoryDocument } from '@gansight/client';
import { useFactory } from '../../lib/factory-session';
import { useApiMutation, useApiQuery } from '../../lib/use-api';

/** The factory's time zone: trend buckets start at its local midnight. */
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
  );
}
