import type { ApiContext } from '../../context';
import { probeHealth } from './health-probe';

export const healthResolvers = {
  Query: {
    health: async (_: unknown, __: unknown, ctx: ApiContext) => {
      const checks = await probeHealth(ctx.services);
      return {
        status: checks.every((c) => c.ok) ? 'OK' : 'DEGRADED',
        version: ctx.services.version,
        uptimeSeconds: (Date.now() - ctx.services.startedAt) / 1000,
        checks,
      };
    },
  },
};
