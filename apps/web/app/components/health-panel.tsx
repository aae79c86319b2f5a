'use client';

import { useEffect, useState } from 'react';

interface HealthCheck { name: string; ok: boolean; latencyMs: number; error: string | null }
interface Health { status: 'OK' | 'DEGRADED'; version: string; uptimeSeconds: number; checks: HealthCheck[] }

const QUERY = '{ health { status version uptimeSeconds checks { name ok latencyMs error } } }';

/** Live status of the platform, refreshed every few seconds from the API's health query. */
export function HealthPanel() {
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    const load = async () => {
      try {
        const res = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: QUERY }),
        });
        const json = (await res.json()) as { data?: { health: Health }; errors?: { message: string }[] };
        if (stopped) return;
        if (json.data) {
          setHealth(json.data.health);
          setError(null);
        } else setError(json.errors?.[0]?.message ?? `API answered ${res.status}`);
      } catch (err) {
        if (!stopped) setError(`API unreachable: ${(err as Error).message}`);
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
