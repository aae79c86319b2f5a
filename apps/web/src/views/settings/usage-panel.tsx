'use client';

import { FactoryUsageDocument } from '@gansight/client';
import { ErrorState, Loading } from '../../components/states';
import { useApiQuery } from '../../lib/use-api';

const ROWS = [
  ['storedImages', 'Stored images'],
  ['concurrentTrainingRuns', 'Training runs queued or running'],
  ['inspectionsPerMinute', 'Inspections in the last minute'],
] as const;

/** The factory's use of its quotas; the limits are the platform operator's (ADR 0059). */
export function UsagePanel() {
  const usage = useApiQuery(FactoryUsageDocument, {});
  return (
    <section className="card" aria-label="Usage and quotas">
      <h2>Usage and quotas</h2>
      {usage.isPending ? (
        <Loading />
      ) : usage.isError ? (
        <ErrorState error={usage.error} />
      ) : (
        <>
          <table className="data">
            <thead>
              <tr>
                <th>Quota</th>
                <th>In use</th>
                <th>Limit</th>
              </tr>
            </thead>
            <tbody>
              {ROWS.map(([field, label]) => {
                const { used, limit } = usage.data.factoryUsage[field];
                return (
                  <tr key={field}>
                    <td>{label}</td>
                    <td>
                      {used.toLocaleString('en')}
                      {limit ? <meter className="quota-meter" min={0} max={limit} value={used} high={limit * 0.9} aria-label={`${label}: ${used} of ${limit}`} /> : null}
                    </td>
                    <td>{limit === null || limit === undefined ? 'no limit' : limit.toLocaleString('en')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="small muted">A request that would go over a limit is refused (QUOTA_EXCEEDED). Limits are set by the platform operator.</p>
        </>
      )}
    </section>
  );
}
