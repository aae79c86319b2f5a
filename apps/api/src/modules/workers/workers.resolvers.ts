import { listWorkerFleet } from '@gansight/db';
import type { ApiContext } from '../../context';
import { requireFactoryCaller } from '../auth/require-caller';

/** A worker silent this long counts as not alive: the worker's default WORKER_STALE_AFTER_MS. */
export const WORKER_ALIVE_WITHIN_MS = 60_000;

export const workersResolvers = {
  Query: {
    workers: async (_: unknown, __: unknown, ctx: ApiContext) => {
      requireFactoryCaller(ctx);
      // Only fields without tenant data or infrastructure names leave here (no host).
      const rows = await listWorkerFleet(ctx.services.db, WORKER_ALIVE_WITHIN_MS);
      return rows.map(({ id, backend, version, jobsInFlight, startedAt, heartbeatAt, alive }) => ({
        id, backend, version, jobsInFlight, startedAt, heartbeatAt, alive,
      }));
    },
    // Reached by the operator token only (permission table); hosts are the operator's own machines.
    platformWorkers: async (_: unknown, __: unknown, ctx: ApiContext) => listWorkerFleet(ctx.services.db, WORKER_ALIVE_WITHIN_MS),
  },
};
