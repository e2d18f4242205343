import { Context, ROOT_CONTEXT, context, propagation } from '@opentelemetry/api';
import { StoredTraceHeaders } from './event-outbox.entity';

/**
 * The trace context of the operation writing the event, as the registered propagator
 * renders it (W3C `traceparent`/`tracestate`); null when there is nothing to carry.
 */
export function captureTraceHeaders(ctx: Context = context.active()): StoredTraceHeaders | null {
  const carrier: StoredTraceHeaders = {};
  propagation.inject(ctx, carrier);
  return Object.keys(carrier).length > 0 ? carrier : null;
}

/**
 * The context to publish a stored row in. Starts from the root: whatever is active in the
 * relay loop belongs to no event, and each row continues the trace of its own writer.
 */
export function traceContextOf(headers: StoredTraceHeaders | null): Context {
  return headers ? propagation.extract(ROOT_CONTEXT, headers) : ROOT_CONTEXT;
}
