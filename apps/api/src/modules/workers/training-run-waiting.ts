// A training run pinned to backends that no live worker runs waits in the queue, unfailed
// (ADR 0060); the model card says what it waits for, from the same registry `workers` reads.
import { listWorkerFleet } from '@gansight/db';
import type { ApiContext } from '../../context';
import { WORKER_ALIVE_WITHIN_MS } from './workers.resolvers';

// One read of the fleet per request, however many runs a page lists.
const fleets = new WeakMap<ApiContext, ReturnType<typeof listWorkerFleet>>();

/** What a QUEUED run waits for when no live worker can take it; null when one can, or the run is not QUEUED. */
export async function trainingRunWaitingFor(run: { status: string; backends: string[] }, ctx: ApiContext): Promise<string | null> {
  if (run.status !== 'QUEUED') return null;
  let fleet = fleets.get(ctx);
  if (!fleet) fleets.set(ctx, (fleet = listWorkerFleet(ctx.services.db, WORKER_ALIVE_WITHIN_MS)));
  const able = (await fleet).filter((w) => w.alive && (run.backends.length === 0 || run.backends.includes(w.backend)));
  if (able.length > 0) return null;
  return run.backends.length > 0 ? `waiting for a worker with backend ${run.backends.join(' or ')}` : 'waiting for a worker';
}
