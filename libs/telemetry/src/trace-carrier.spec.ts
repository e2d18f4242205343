import { ROOT_CONTEXT, TraceFlags, createTraceState, trace } from '@opentelemetry/api';
import { contextOfTraceCarrier, traceCarrierOf } from './trace-carrier';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';

describe('trace carriers', () => {
  it('stores a span context as W3C headers and reads it back as a remote parent', () => {
    const ctx = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.SAMPLED,
      traceState: createTraceState('vendor=opaque'),
    });
    const carrier = traceCarrierOf(ctx);
    expect(carrier).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'vendor=opaque' });

    const parent = trace.getSpanContext(contextOfTraceCarrier(carrier));
    expect(parent).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, isRemote: true });
    expect(parent?.traceState?.get('vendor')).toBe('opaque');
  });

  it('stores nothing without a span, and resumes from the root context without a valid carrier', () => {
    expect(traceCarrierOf(ROOT_CONTEXT)).toEqual({});
    expect(contextOfTraceCarrier(undefined)).toBe(ROOT_CONTEXT);
    expect(contextOfTraceCarrier({})).toBe(ROOT_CONTEXT);
    expect(trace.getSpanContext(contextOfTraceCarrier({ traceparent: 'garbage' }))).toBeUndefined();
  });
});
