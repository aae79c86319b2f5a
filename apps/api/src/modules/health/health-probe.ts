import type { ApiServices } from '../../context';

export interface CheckResult {
  name: string;
  ok: boolean;
  latencyMs: number;
  error: string | null;
}

// A check that does not answer in time is down; without a bound, an unreachable host would
// hold every health query for as long as the driver's connect timeout (none by default).
const CHECK_TIMEOUT_MS = 5_000;

interface ProbeState {
  running?: Promise<CheckResult[]>;
  /** The last reason logged per check, so a lasting outage is logged once, not per query. */
  lastError: Map<string, string | null>;
}

const states = new WeakMap<ApiServices['healthChecks'], ProbeState>();

/**
 * Runs the services' health checks, one run at a time: every `health` field that asks while a
 * run is in flight (aliases of one request, or concurrent requests) shares its answer, so a
 * request costs at most one database round trip however many times it says `health`.
 * Clients learn which check failed, never why: the reason (driver messages name hosts, ports,
 * users) goes to the operator's log.
 */
export function probeHealth(services: ApiServices): Promise<CheckResult[]> {
  let state = states.get(services.healthChecks);
  if (!state) {
    state = { lastError: new Map() };
    states.set(services.healthChecks, state);
  }
  if (state.running) return state.running;
  const current = state;
  const running = Promise.all(
    Object.entries(services.healthChecks).map(([name, check]) => runCheck(name, check, current, services.log)),
  ).finally(() => {
    current.running = undefined;
  });
  current.running = running;
  return running;
}

async function runCheck(name: string, check: () => Promise<void>, state: ProbeState, log: ApiServices['log']): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let reason: string | null = null;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    reason = (err as Error)?.message ?? String(err);
  } finally {
    clearTimeout(timer);
  }
  if (state.lastError.get(name) !== reason && (reason !== null || state.lastError.has(name))) {
    log?.(reason === null ? `health: ${name} answers again` : `health: ${name} failed: ${reason}`);
  }
  state.lastError.set(name, reason);
  return { name, ok: reason === null, latencyMs: performance.now() - started, error: reason === null ? null : `${name} is unavailable` };
}
