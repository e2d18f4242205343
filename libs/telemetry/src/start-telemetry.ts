import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { IMetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  NoopSpanProcessor,
  ParentBasedSampler,
  Sampler,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { getTelemetryState, setTelemetryState } from './telemetry-state';
import { isOperationalPath } from './operational-paths';

export interface TelemetryOptions {
  serviceName: string;
  serviceVersion?: string;
  /** Defaults to process.env; injectable so tests need not mutate the environment. */
  env?: NodeJS.ProcessEnv;
  /**
   * Libraries instrumented besides http; each defaults to true. A service whose hot path
   * is measured may leave one out: the instrumentation wraps every middleware layer or
   * query callback, at a CPU cost on every request even when nothing is sampled.
   */
  instrument?: { express?: boolean; pg?: boolean };
  /**
   * Where spans go, in place of the OTLP exporter the environment names: a test running a
   * service in its own process, where that exporter cannot load its transport under Jest,
   * hands it spans this way. Spans are then sampled as with an exporter configured.
   */
  spanProcessors?: SpanProcessor[];
}

function otlpConfigured(env: NodeJS.ProcessEnv, signal: 'TRACES' | 'METRICS'): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`]);
}

function spanProcessors(env: NodeJS.ProcessEnv): SpanProcessor[] {
  // Without a processor NodeSDK registers no tracer provider at all, and then no
  // span (hence no trace id in logs, no traceparent downstream) would exist.
  if (!otlpConfigured(env, 'TRACES')) return [new NoopSpanProcessor()];
  return [new BatchSpanProcessor(new OTLPTraceExporter())];
}

/**
 * With nowhere to send spans, recording them is pure cost (a quarter of a join's CPU,
 * measured): root spans are then left unsampled. They still get trace ids, which logs
 * and downstream traceparent headers carry, and a caller's sampled trace is still
 * followed. OTEL_TRACES_SAMPLER, when set, decides instead.
 */
function sampler(env: NodeJS.ProcessEnv, exporting: boolean): Sampler | undefined {
  if (env.OTEL_TRACES_SAMPLER || exporting || otlpConfigured(env, 'TRACES')) return undefined;
  return new ParentBasedSampler({ root: new AlwaysOffSampler() });
}

function metricReaders(env: NodeJS.ProcessEnv, prometheus: PrometheusExporter): IMetricReader[] {
  const readers: IMetricReader[] = [prometheus];
  if (otlpConfigured(env, 'METRICS')) {
    readers.push(new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() }));
  }
  return readers;
}

/** http always (trace ids in logs and downstream headers); express and pg unless left out. */
export function instrumentationsFor(
  options: Pick<TelemetryOptions, 'instrument'>,
): Array<HttpInstrumentation | ExpressInstrumentation | PgInstrumentation> {
  return [
    new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => isOperationalPath(request.url) }),
    ...(options.instrument?.express === false ? [] : [new ExpressInstrumentation()]),
    // Queries outside a request (sweeps, relays) would each start a trace of their own.
    ...(options.instrument?.pg === false ? [] : [new PgInstrumentation({ requireParentSpan: true })]),
  ];
}

/**
 * Starts OpenTelemetry once per process. Call it from a service's `tracing.ts`,
 * imported first by `main.ts`: instrumentation patches `http`, `express` and `pg`
 * when they are first required, so anything loaded earlier is not observed.
 * Later calls are no-ops, which lets tests and tools call it defensively.
 */
export function startTelemetry(options: TelemetryOptions): void {
  if (getTelemetryState()) return;
  const env = options.env ?? process.env;

  // We serve /metrics on the service's own port rather than opening a second one.
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const sampling = sampler(env, options.spanProcessors !== undefined);
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      ...(options.serviceVersion ? { [ATTR_SERVICE_VERSION]: options.serviceVersion } : {}),
    }),
    textMapPropagator: new W3CTraceContextPropagator(),
    spanProcessors: options.spanProcessors ?? spanProcessors(env),
    ...(sampling ? { sampler: sampling } : {}),
    metricReaders: metricReaders(env, prometheus),
    // Logs go to stdout as JSON; an empty list stops the SDK defaulting to OTLP logs.
    logRecordProcessors: [],
    instrumentations: instrumentationsFor(options),
  });
  sdk.start();
  setTelemetryState({
    sdk,
    prometheus,
    serviceName: options.serviceName,
    serviceVersion: options.serviceVersion,
  });
}

/**
 * Flushes and stops exporters; safe to call more than once or before start. The global
 * providers are then released, so a later startTelemetry (a test's next suite in the same
 * process) starts afresh instead of being a no-op over stopped exporters.
 */
export async function shutdownTelemetry(): Promise<void> {
  const state = getTelemetryState();
  if (!state) return;
  state.shutdown ??= state.sdk.shutdown().finally(() => {
    if (getTelemetryState() !== state) return;
    setTelemetryState(undefined);
    trace.disable();
    metrics.disable();
    propagation.disable();
    context.disable();
  });
  await state.shutdown;
}

export function isTelemetryStarted(): boolean {
  return getTelemetryState() !== undefined;
}

/** The name given to startTelemetry, or OTEL_SERVICE_NAME, for log lines. */
export function telemetryServiceName(): string | undefined {
  return getTelemetryState()?.serviceName ?? process.env.OTEL_SERVICE_NAME;
}
