export { createLogger, lineLog, writesJson, type Logger, type LoggerOptions, type LogFormat, type LogLevel, type LogSink } from './create-logger';
export { currentLogContext, withLogContext, type LogFields } from './log-context';
export { createMetricsRegistry, setBackendInfo, Counter, Gauge, Histogram, Registry } from './metrics-registry';
export { boundedLabel } from './bounded-label';
export { serveOpsRoute, type OpsRoutes, type Readiness, type ReadinessCheck } from './ops-routes';
export { startOpsServer, type RunningOpsServer } from './ops-server';
