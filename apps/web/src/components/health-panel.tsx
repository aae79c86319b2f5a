'use client';

import { useEffect, useState } from 'react';
import { createGansightClient, HealthDocument, type HealthQuery } from '@gansight/client';

type Health = HealthQuery['health'];

/** Live status of the platform, refreshed every few seconds from the API's health query. */
export function HealthPanel() {
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // Same origin: Next proxies /graphql to the API, so the session cookie stays first-party.
    const client = createGansightClient({ url: '/graphql' });
    let stopped = false;
    const load = async () => {
      try {
        const { health } = await client.request(HealthDocument);
        if (stopped) return;
        setHealth(health);
        setError(null);
      } catch (err) {
        // GansightApiError: NETWORK_ERROR when the API is down, else the API's own message.
        if (!stopped) setError((err as Error).message);
      }
    };
    void load();
    const timer = setInterval(load, 5000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  return (
    <section className="card" aria-label="Platform status">
      <h2>
        Platform status:{' '}
        {health ? (
          <span data-testid="platform-status" className={health.status === 'OK' ? 'ok' : 'bad'}>
            {health.status}
          </span>
        ) : (
          <span className="muted">{error ?? 'checking…'}</span>
        )}
      </h2>
      {health && (
        <ul className="checks">
          {health.checks.map((c) => (
            <li key={c.name}>
              <span>{c.name}</span>
              <span className={c.ok ? 'ok' : 'bad'}>
                {c.ok ? `up (${c.latencyMs.toFixed(1)} ms)` : `down: ${c.error}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      {health && <p className="muted">API {health.version}, up {Math.round(health.uptimeSeconds)} s</p>}
    </section>
  );
}
