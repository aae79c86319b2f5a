'use client';

import { useState, type FormEvent } from 'react';
import { ApiKeysDocument, CreateApiKeyDocument, RevokeApiKeyDocument } from '@gansight/client';
import { ConfirmButton } from '../../components/confirm-button';
import { ErrorState, Loading } from '../../components/states';
import { useFactory } from '../../lib/factory-session';
import { formatInstant } from '../../lib/time-zone';
import { useApiMutation, useApiQuery } from '../../lib/use-api';

// The API's scopes (apps/api scopes.ts); a line integration usually needs the first four.
const SCOPES = ['images:write', 'inspections:write', 'results:read', 'products:read', 'images:read', 'products:write', 'models:read', 'models:write'];

export function ApiKeysPanel() {
  const { timeZone } = useFactory();
  const keys = useApiQuery(ApiKeysDocument, { first: 100 });
  const create = useApiMutation(CreateApiKeyDocument, [ApiKeysDocument]);
  const revoke = useApiMutation(RevokeApiKeyDocument, [ApiKeysDocument]);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(SCOPES.slice(0, 4));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name: name.trim(), scopes }, { onSuccess: () => setName('') });
  };
  return (
    <section className="card" aria-label="API keys">
      <h2>API keys</h2>
      {keys.isPending ? (
        <Loading />
      ) : keys.isError ? (
        <ErrorState error={keys.error} />
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>Name</th>
              <th>Key</th>
              <th>Scopes</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.data.apiKeys.edges.map(({ node: k }) => (
              <tr key={k.id} className={k.revokedAt ? 'muted' : ''}>
                <td>{k.name}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td className="small" style={{ whiteSpace: 'normal' }}>{k.scopes.join(', ')}</td>
                <td>{formatInstant(k.lastUsedAt, timeZone)}</td>
                <td>
                  {k.revokedAt ? (
                    'revoked'
                  ) : (
                    <ConfirmButton label="Revoke" className="danger" title={`Revoke ${k.name}?`} confirmLabel="Revoke" onConfirm={() => revoke.mutate({ id: k.id })}>
                      Requests with this key fail from now on.
                    </ConfirmButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="form" onSubmit={submit} aria-label="Create an API key">
        <div className="row">
          <input required placeholder="Key name, e.g. Line 2 camera" value={name} onChange={(e) => setName(e.target.value)} aria-label="Key name" />
          <button type="submit" disabled={create.isPending || scopes.length === 0}>
            Create key
          </button>
        </div>
        <fieldset className="row scopes">
          <legend className="small muted">Scopes</legend>
          {SCOPES.map((s) => (
            <label key={s} className="row small">
              <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))} />
              {s}
            </label>
          ))}
        </fieldset>
      </form>
      {(create.error ?? revoke.error) && <p className="form-error">{(create.error ?? revoke.error)!.message}</p>}
      {create.data && (
        <div className="secret" role="status">
          <p>The key, shown this once. Store it where the line integration reads it:</p>
          <code data-testid="new-api-key">{create.data.createApiKey.token}</code>
        </div>
      )}
    </section>
  );
}
