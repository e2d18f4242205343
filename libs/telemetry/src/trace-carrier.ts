import { Context, ROOT_CONTEXT, context as activeContext } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** A trace context as W3C trace-context headers carry it, to be stored beside work done later. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

// W3C whatever the process propagates with: the stored form must read back the same.
const w3c = new W3CTraceContextPropagator();

/**
 * The trace context of `ctx` (by default the active one) as W3C headers, for work that
 * outlives it (a row retried from the database later); empty when there is no span.
 */
export function traceCarrierOf(ctx: Context = activeContext.active()): TraceCarrier {
  const carrier: TraceCarrier = {};
  w3c.inject(ctx, carrier, {
    set: (c, key, value) => {
      if (key === 'traceparent' || key === 'tracestate') c[key] = value;
    },
  });
  return carrier;
}

/**
 * The context a stored carrier names, to start spans in: they continue its trace (as
 * children of its span) whatever context is active when the work is resumed. The root
 * context when nothing (valid) was stored, so that resumed work never joins a trace that
 * merely happens to be active.
 */
export function contextOfTraceCarrier(carrier: TraceCarrier | undefined): Context {
  if (!carrier?.traceparent) return ROOT_CONTEXT;
  return w3c.extract(ROOT_CONTEXT, carrier, {
    keys: (c) => Object.keys(c),
    get: (c, key) => (key === 'traceparent' || key === 'tracestate' ? c[key] : undefined),
  });
}
