import type { ApiContext } from '../../context';

async function runCheck(name: string, check: () => Promise<void>) {
  const started = performance.now();
  try {
    await check();
    return { name, ok: true, latencyMs: performance.now() - started, error: null };
  } catch (err) {
    // Only the message: a health endpoint is public, stacks are not.
    return { name, ok: false, latencyMs: performance.now() - started, error: (err as Error).message };
  }
}

export const healthResolvers = {
  Query: {
    health: async (_: unknown, __: unknown, ctx: ApiContext) => {
      const checks = await Promise.all(
        Object.entries(ctx.services.healthChecks).map(([name, fn]) => runCheck(name, fn)),
      );
      return {
        status: checks.every((c) => c.ok) ? 'OK' : 'DEGRADED',
        version: ctx.services.version,
        uptimeSeconds: (Date.now() - ctx.services.startedAt) / 1000,
        checks,
      };
    },
  },
};
