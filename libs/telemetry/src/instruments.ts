import { context, isSpanContextValid, metrics, Meter, trace, Tracer } from '@opentelemetry/api';

/** A meter from the global provider (a no-op one until startTelemetry ran). */
export function getMeter(name: string, version?: string): Meter {
  return metrics.getMeter(name, version);
}

export function getTracer(name: string, version?: string): Tracer {
  return trace.getTracer(name, version);
}

export interface TraceIds {
  traceId: string;
  spanId: string;
}

/** Ids of the span active in the current async context, if there is a real one. */
export function currentTraceIds(): TraceIds | undefined {
  const span = trace.getSpan(context.active());
  if (!span) return undefined;
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return undefined;
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}
