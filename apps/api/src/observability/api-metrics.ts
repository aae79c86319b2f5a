// The API's half of the metrics contract (docs/DEPLOY.md): GraphQL latency by operation and
// errors by stable code. Labels never carry tenant data: no factory, user or key ids, and the
// one client-chosen value (the operation name) is bounded (ADR 0055).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { boundedLabel, Counter, Histogram, type Registry } from '@gansight/telemetry';

/** Distinct operation names one API process labels; later new names count as `other`. */
const MAX_OPERATION_NAMES = 100;
/** Distinct error codes; every code is ours or Apollo's, so this only guards against surprises. */
const MAX_ERROR_CODES = 50;

/** What one GraphQL request turned out to be, filled in while it runs. */
interface RequestRecord {
  /** Operation name; `anonymous` when unnamed, `other` until the document validated (and past the cap). */
  operation: string;
  /** query, mutation or subscription; `none` for a request that never reached one. */
  type: string;
  errorCodes: string[];
}

export interface ApiMetrics {
  /** Runs one HTTP GraphQL request, timing it under the operation it resolves to. */
  observe<T>(handle: () => Promise<T>): Promise<{ result: T; record: RequestRecord }>;
  /** Counts an error being sent (HTTP or WebSocket), under the current request's operation. */
  countError(code: string): void;
  /** Records which operation the current request runs (Apollo's didResolveOperation). */
  plugin: ApolloServerPlugin<BaseContext>;
}

export function createApiMetrics(registry: Registry): ApiMetrics {
  const records = new AsyncLocalStorage<RequestRecord>();
  const operationLabel = boundedLabel(MAX_OPERATION_NAMES);
  const codeLabel = boundedLabel(MAX_ERROR_CODES);
  const duration = new Histogram({
    name: 'gansight_graphql_request_duration_seconds',
    help: 'Time from request to response per GraphQL operation (HTTP; subscriptions are not timed)',
    labelNames: ['operation', 'type'],
    // From a cached by-id read (~2 ms) to an upload registration under load (seconds).
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'gansight_graphql_errors_total',
    help: 'GraphQL errors returned, by stable error code',
    labelNames: ['code', 'operation'],
    registers: [registry],
  });
  return {
    async observe(handle) {
      const record: RequestRecord = { operation: 'other', type: 'none', errorCodes: [] };
      const started = performance.now();
      const result = await records.run(record, handle);
      duration.observe({ operation: record.operation, type: record.type }, (performance.now() - started) / 1000);
      return { result, record };
    },
    countError(code) {
      const record = records.getStore();
      record?.errorCodes.push(code);
      errors.inc({ code: /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? codeLabel(code) : 'other', operation: record?.operation ?? 'other' });
    },
    plugin: {
      async requestDidStart() {
        return {
          async didResolveOperation({ operationName, operation }) {
            const record = records.getStore();
            if (!record) return;
            if (!operation) return;
            record.type = operation.operation;
            record.operation = operationName ? operationLabel(operationName) : 'anonymous';
          },
        };
      },
    },
  };
}
