'use client';

import { AuditLogDocument } from '@gansight/client';
import { ErrorState, Loading } from '../../components/states';
import { useFactory } from '../../lib/factory-session';
import { formatInstant } from '../../lib/time-zone';
import { useApiQuery } from '../../lib/use-api';

export function AuditPanel() {
  const { timeZone } = useFactory();
  const log = useApiQuery(AuditLogDocument, { first: 50 });
  return (
    <section className="card" aria-label="Audit log">
      <h2>Audit log</h2>
      {log.isPending ? (
        <Loading />
      ) : log.isError ? (
        <ErrorState error={log.error} />
      ) : (
        <div className="table-scroll">
          <table className="data">
            <thead>
              <tr>
                <th>When</th>
                <th>Action</th>
                <th>By</th>
                <th>Target</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {log.data.auditLog.edges.map(({ node: a }) => (
                <tr key={a.id}>
                  <td>{formatInstant(a.createdAt, timeZone)}</td>
                  <td>{a.action}</td>
                  <td className="small">{a.actorType === 'USER' ? `user ${a.actorUserId?.slice(-6)}` : a.actorType === 'API_KEY' ? `key ${a.actorApiKeyId?.slice(-6)}` : 'system'}</td>
                  <td className="small">{a.targetType ? `${a.targetType} ${a.targetId?.slice(-6) ?? ''}` : ''}</td>
                  <td className="small audit-details">{JSON.stringify(a.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
