import { Context, ROOT_CONTEXT, TextMapGetter, TextMapSetter, propagation } from '@opentelemetry/api';
import { Match, MsgHdrs, headers as natsHeaders } from 'nats';

/**
 * Where injected trace fields go. The headers object is created on first write, so with
 * no propagator registered a message carries no headers at all (cheaper on the hot path).
 */
export interface NatsHeaderCarrier {
  headers?: MsgHdrs;
}

export const natsHeaderSetter: TextMapSetter<NatsHeaderCarrier> = {
  set(carrier, key, value) {
    (carrier.headers ??= natsHeaders()).set(key, value);
  },
};

export const natsHeaderGetter: TextMapGetter<MsgHdrs | undefined> = {
  keys(carrier) {
    return carrier ? carrier.keys() : [];
  },
  get(carrier, key) {
    if (!carrier) return undefined;
    // Other clients may canonicalise header names ("Traceparent"); W3C says they are case-insensitive.
    const values = carrier.values(key, Match.IgnoreCase);
    if (values.length === 0) return undefined;
    return values.length === 1 ? values[0] : values;
  },
};

/** Writes the trace context of `ctx` into `into` (or into new headers when needed). */
export function injectTraceHeaders(ctx: Context, into?: MsgHdrs): MsgHdrs | undefined {
  const carrier: NatsHeaderCarrier = { headers: into };
  propagation.inject(ctx, carrier, natsHeaderSetter);
  return carrier.headers;
}

/**
 * The remote parent carried by a received message. Starts from the root context: a
 * delivery is an entry point, whatever context happens to be active in the callback.
 */
export function extractTraceContext(h: MsgHdrs | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, h, natsHeaderGetter);
}
