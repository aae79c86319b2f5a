import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A registry of this process's metrics with prom-client's process metrics (memory, CPU, event loop, GC). */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Sets gansight_backend_info{role, backend, version} = 1 (the contract in docs/DEPLOY.md). */
export function setBackendInfo(registry: Registry, info: { role: 'api' | 'worker'; backend: string; version: string }): void {
  const gauge =
    (registry.getSingleMetric('gansight_backend_info') as Gauge<'role' | 'backend' | 'version'> | undefined) ??
    new Gauge({
      name: 'gansight_backend_info',
      help: 'Which ML backend and release this process runs (always 1)',
      labelNames: ['role', 'backend', 'version'],
      registers: [registry],
    });
  gauge.reset();
  gauge.set(info, 1);
}
