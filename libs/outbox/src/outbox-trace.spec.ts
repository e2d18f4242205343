import { ROOT_CONTEXT, TraceFlags, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { captureTraceHeaders, traceContextOf } from './outbox-trace';

describe('outbox trace headers', () => {
  const spanContext = {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
  };
  const writing = trace.setSpanContext(ROOT_CONTEXT, spanContext);

  afterEach(() => propagation.disable());

  it('stores nothing when no propagator is registered', () => {
    expect(captureTraceHeaders(writing)).toBeNull();
  });

  it('stores the W3C trace context and restores it as the remote parent', () => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const headers = captureTraceHeaders(writing);
    expect(headers).toEqual({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    expect(trace.getSpanContext(traceContextOf(headers))).toEqual({ ...spanContext, isRemote: true });
  });

  it('publishes a row without stored context in a fresh trace', () => {
    expect(trace.getSpanContext(traceContextOf(null))).toBeUndefined();
  });
});
