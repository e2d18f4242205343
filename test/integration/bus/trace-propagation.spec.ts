import { EventOf, defineCommand } from '@confer/contracts';
import { TestingModule } from '@nestjs/testing';
import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { Type } from '@sinclair/typebox';
import { NatsConnection } from 'nats';
import { CommandClient, CommandServer, EventConsumer, EventPublisherPort } from '@confer/bus';
import { Pinged, cleanUp, observerConnection, pinged, runId, startBus, waitFor } from './bus-test-kit';

describe('trace context across the bus (real NATS)', () => {
  const run = runId();
  const orgId = `bustest-trace-${run}`;
  const durable = `bustest-${run}-trace`;
  const exporter = new InMemorySpanExporter();
  const contextManager = new AsyncLocalStorageContextManager();
  const Echo = defineCommand({
    service: `bustest-${run}`,
    name: 'trace.echo',
    summary: 'Replies the trace id its handler runs in.',
    request: Type.Object({}),
    reply: Type.Object({ traceId: Type.String() }),
  });
  let app: TestingModule;
  let observer: NatsConnection;

  beforeAll(async () => {
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    );
    app = await startBus({ service: `bustest-${run}` });
    observer = await observerConnection();
  });

  afterAll(async () => {
    await app.close();
    await cleanUp(observer, { orgId, durables: [durable] });
    await observer.close();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('continues the publishing trace in the event handler', async () => {
    const seen: { traceId?: string; event: EventOf<typeof Pinged> }[] = [];
    const handle = await app.get(EventConsumer).consume({
      durable,
      filterSubjects: [`confer.evt.${orgId}.>`],
      contracts: [Pinged],
      handler: async (event) => {
        seen.push({ traceId: trace.getActiveSpan()?.spanContext().traceId, event });
      },
    });

    const tracer = trace.getTracer('test');
    const root = tracer.startSpan('POST /rooms');
    await context.with(trace.setSpan(context.active(), root), () =>
      app.get(EventPublisherPort).publish(Pinged, pinged(orgId, 1)),
    );
    root.end();

    await waitFor('the event', () => seen.length === 1);
    await handle.stop();
    const traceId = root.spanContext().traceId;
    expect(seen[0].traceId).toBe(traceId);

    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const producer = spans.find((s) => s.kind === SpanKind.PRODUCER);
    const consumer = spans.find((s) => s.kind === SpanKind.CONSUMER);
    expect(producer?.name).toBe('publish confer.evt.*.*.bustest.pinged.v1');
    expect(producer?.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(producer?.attributes['messaging.destination.name']).toBe(
      `confer.evt.${orgId}._.bustest.pinged.v1`,
    );
    expect(consumer?.name).toBe(`process ${durable}`);
    expect(consumer?.parentSpanContext?.spanId).toBe(producer?.spanContext().spanId);
  });

  it('continues the calling trace in the command handler', async () => {
    app
      .get(CommandServer)
      .handle(Echo, async () => ({ traceId: trace.getActiveSpan()?.spanContext().traceId ?? 'none' }));
    const root = trace.getTracer('test').startSpan('GET /join');
    const reply = await context.with(trace.setSpan(context.active(), root), () =>
      app.get(CommandClient).request(Echo, {}),
    );
    root.end();

    expect(reply.traceId).toBe(root.spanContext().traceId);
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === reply.traceId);
    const client = spans.find((s) => s.kind === SpanKind.CLIENT);
    const server = spans.find((s) => s.kind === SpanKind.SERVER);
    expect(client?.name).toBe(`send ${Echo.subject}`);
    expect(server?.name).toBe(`process ${Echo.subject}`);
    expect(server?.parentSpanContext?.spanId).toBe(client?.spanContext().spanId);
  });
});
