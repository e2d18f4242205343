import { ROOT_CONTEXT, TraceFlags, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { headers } from 'nats';
import {
  extractTraceContext,
  injectTraceHeaders,
  natsHeaderGetter,
  natsHeaderSetter,
  NatsHeaderCarrier,
} from './trace-headers';

const spanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
};

describe('NATS header carrier', () => {
  it('creates headers only when something is written', () => {
    const carrier: NatsHeaderCarrier = {};
    expect(carrier.headers).toBeUndefined();
    natsHeaderSetter.set(carrier, 'traceparent', 'x');
    expect(carrier.headers?.get('traceparent')).toBe('x');
  });

  it('reads header names case-insensitively and returns undefined for missing ones', () => {
    const h = headers();
    h.set('Traceparent', 'abc');
    expect(natsHeaderGetter.get(h, 'traceparent')).toBe('abc');
    expect(natsHeaderGetter.get(h, 'tracestate')).toBeUndefined();
    expect(natsHeaderGetter.get(undefined, 'traceparent')).toBeUndefined();
    expect(natsHeaderGetter.keys(h)).toEqual(['Traceparent']);
    expect(natsHeaderGetter.keys(undefined)).toEqual([]);
  });

  describe('with the W3C propagator', () => {
    beforeAll(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
    afterAll(() => propagation.disable());

    it('round-trips a span context through NATS headers', () => {
      const h = injectTraceHeaders(trace.setSpanContext(ROOT_CONTEXT, spanContext));
      expect(h?.get('traceparent')).toBe(`00-${spanContext.traceId}-${spanContext.spanId}-01`);

      const extracted = trace.getSpanContext(extractTraceContext(h));
      expect(extracted).toMatchObject({ ...spanContext, isRemote: true });
    });

    it('adds to existing headers', () => {
      const h = headers();
      h.set('Nats-Msg-Id', 'id-1');
      expect(injectTraceHeaders(trace.setSpanContext(ROOT_CONTEXT, spanContext), h)).toBe(h);
      expect(h.get('Nats-Msg-Id')).toBe('id-1');
      expect(h.get('traceparent')).toContain(spanContext.traceId);
    });

    it('yields no parent when a message carries no trace context', () => {
      expect(trace.getSpanContext(extractTraceContext(undefined))).toBeUndefined();
      expect(injectTraceHeaders(ROOT_CONTEXT)).toBeUndefined();
    });
  });
});
