export {
  startTelemetry,
  shutdownTelemetry,
  isTelemetryStarted,
  telemetryServiceName,
} from './start-telemetry';
export type { TelemetryOptions } from './start-telemetry';
export { getMeter, getTracer, currentTraceIds } from './instruments';
export type { TraceIds } from './instruments';
export { traceCarrierOf, contextOfTraceCarrier } from './trace-carrier';
export type { TraceCarrier } from './trace-carrier';
export { renderPrometheusMetrics, PROMETHEUS_CONTENT_TYPE } from './prometheus-metrics';
export { JsonLogger } from './json-logger';
export type { JsonLoggerOptions, LogSink } from './json-logger';
export { parseLogLevel, DEFAULT_LOG_LEVEL } from './log-levels';
export type { LogLevelName } from './log-levels';
export {
  ReadinessRegistry,
  DEFAULT_READINESS_TIMEOUT_MS,
  CHECK_OK,
  SHUTDOWN_CHECK,
} from './readiness.registry';
export type { ReadinessCheck, ReadinessReport } from './readiness.registry';
export { LivenessResponse, ReadyResponse, NotReadyResponse } from './health.dto';
export { HealthController } from './health.controller';
export { MetricsController } from './metrics.controller';
export { TelemetryModule } from './telemetry.module';
export { METRICS_PATH, HEALTH_PATH, READINESS_PATH, isOperationalPath } from './operational-paths';
