import { ApiKeyCreated, SchemaViolation, defineEvent, subjectOf } from '@confer/contracts';
import { EventPublisher } from '@confer/bus';
import { OutboxNotInTransaction, UnknownOutboxContract } from '@confer/outbox';
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
import { uniqueSchema } from '../../support/test-env';
import { RestartableNatsServer } from './restartable-nats-server';
import {
  OutboxTestApp,
  apiKeyCreated,
  countForOrg,
  dropSchema,
  idsOf,
  migrateSchema,
  observe,
  pendingIds,
  readForOrg,
  recordNote,
  runId,
  startOutboxApp,
  waitFor,
} from './outbox-test-kit';

describe('transactional outbox (real PostgreSQL and NATS)', () => {
  const schema = uniqueSchema('outbox');
  const run = runId();
  const exporter = new InMemorySpanExporter();
  const contextManager = new AsyncLocalStorageContextManager();
  let nats: RestartableNatsServer;
  let app: OutboxTestApp;
  let observer: NatsConnection;
  let orgSeq = 0;
  const newOrg = () => `outbox-${run}-${++orgSeq}`;

  beforeAll(async () => {
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    );
    nats = await RestartableNatsServer.start();
    await migrateSchema(schema);
    // A poll far longer than any assertion waits: a prompt publication can only come from NOTIFY.
    app = await startOutboxApp(schema, nats.url, { pollIntervalMs: 60_000 });
    observer = await observe(nats.url);
  });

  afterAll(async () => {
    await app?.close();
    await observer?.close();
    await nats?.destroy();
    await dropSchema(schema);
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('publishes an event committed with its state change promptly, then deletes its row', async () => {
    const orgId = newOrg();
    const event = apiKeyCreated(orgId, 1);

    await recordNote(app, event);
    const committedAt = Date.now();
    await waitFor('the event on the stream', async () => (await countForOrg(observer, orgId)) === 1, 2000);
    const latencyMs = Date.now() - committedAt;

    expect(latencyMs).toBeLessThan(500);
    const [message] = await readForOrg(observer, orgId);
    expect(message.subject).toBe(subjectOf(ApiKeyCreated, event));
    expect(message.headers?.get('Nats-Msg-Id')).toBe(event.id);
    expect(message.json()).toEqual(event);
    await waitFor('the row to be deleted', async () => (await pendingIds(app.dataSource)).length === 0, 2000);
    const notes = await app.dataSource.query(`SELECT id FROM outbox_test_notes WHERE id = $1`, [event.id]);
    expect(notes).toHaveLength(1);
  });

  it('publishes nothing for a rolled-back transaction', async () => {
    const orgId = newOrg();
    const rolledBack = apiKeyCreated(orgId, 1);
    const committed = apiKeyCreated(orgId, 2);

    await expect(
      recordNote(app, rolledBack, async () => {
        throw new Error('the use case failed after queueing its event');
      }),
    ).rejects.toThrow('the use case failed');
    // The relay runs after the rollback (this commit wakes it); only the committed event goes out.
    await recordNote(app, committed);
    await waitFor('the committed event', async () => (await countForOrg(observer, orgId)) >= 1, 2000);

    expect(idsOf(await readForOrg(observer, orgId))).toEqual([committed.id]);
    expect(app.publisher.calls.filter((c) => c.eventId === rolledBack.id)).toEqual([]);
    expect(await pendingIds(app.dataSource)).toEqual([]);
    const notes = await app.dataSource.query(`SELECT id FROM outbox_test_notes WHERE id = $1`, [
      rolledBack.id,
    ]);
    expect(notes).toEqual([]);
  });

  it('publishes the events of one transaction in the order they were queued', async () => {
    const orgId = newOrg();
    const events = [1, 2, 3, 4, 5].map((n) => apiKeyCreated(orgId, n));
    await app.dataSource.transaction(async (manager) => {
      for (const event of events) await app.writer.add(manager, ApiKeyCreated, event);
    });
    await waitFor('five events', async () => (await countForOrg(observer, orgId)) === 5, 2000);
    expect(idsOf(await readForOrg(observer, orgId))).toEqual(events.map((e) => e.id));
  });

  it('continues the trace of the writing operation in the published message', async () => {
    const orgId = newOrg();
    const event = apiKeyCreated(orgId, 1);
    const root = trace.getTracer('outbox-test').startSpan('POST /api-keys');
    let storedHeaders: unknown;

    await context.with(trace.setSpan(context.active(), root), () =>
      recordNote(app, event, async (manager) => {
        const [row] = await manager.query(`SELECT headers FROM event_outbox WHERE event_id = $1`, [event.id]);
        storedHeaders = row.headers;
      }),
    );
    root.end();
    await waitFor('the event', async () => (await countForOrg(observer, orgId)) === 1, 2000);

    const traceId = root.spanContext().traceId;
    expect(storedHeaders).toEqual({ traceparent: `00-${traceId}-${root.spanContext().spanId}-01` });
    const [message] = await readForOrg(observer, orgId);
    const traceparent = message.headers?.get('traceparent') ?? '';
    expect(traceparent.split('-')[1]).toBe(traceId);
    // The relay's producer span hangs under the writer's span, and is what the message names as parent.
    const producer = exporter
      .getFinishedSpans()
      .find((s) => s.kind === SpanKind.PRODUCER && s.attributes['messaging.message.id'] === event.id);
    expect(producer?.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(traceparent.split('-')[2]).toBe(producer?.spanContext().spanId);
  });

  it('sets aside a stored envelope that no longer validates, without blocking later rows', async () => {
    const orgId = newOrg();
    const broken = { ...apiKeyCreated(orgId, 1), data: { orgId } };
    const next = apiKeyCreated(orgId, 2);
    // A row as an older writer (or a hand edit) might have left it; raw SQL, so no wake-up.
    await app.dataSource.query(
      `INSERT INTO event_outbox (event_id, subject, event_type, schema_version, envelope)
       VALUES ($1, $2, 'api-key.created', 1, $3::jsonb)`,
      [broken.id, subjectOf(ApiKeyCreated, broken), JSON.stringify(broken)],
    );
    await recordNote(app, next);

    await waitFor('the later event', async () => (await countForOrg(observer, orgId)) === 1, 2000);
    await waitFor('the queue to empty', async () => (await pendingIds(app.dataSource)).length === 0, 2000);
    expect(idsOf(await readForOrg(observer, orgId))).toEqual([next.id]);
    const dead = await app.dataSource.query(
      `SELECT event_id, event_type, schema_version, reason, envelope FROM event_outbox_dead WHERE event_id = $1`,
      [broken.id],
    );
    expect(dead).toEqual([
      {
        event_id: broken.id,
        event_type: 'api-key.created',
        schema_version: 1,
        reason: expect.stringContaining('/data/apiKey'),
        envelope: broken,
      },
    ]);
  });

  it('re-publishes a row whose earlier publication was not recorded, without a second copy', async () => {
    const orgId = newOrg();
    const event = apiKeyCreated(orgId, 1);
    // As if a relay published the row and died before deleting it.
    await app.module.get(EventPublisher).publish(ApiKeyCreated, event);
    await recordNote(app, event);

    await waitFor('the row to be deleted', async () => (await pendingIds(app.dataSource)).length === 0, 2000);
    expect(await countForOrg(observer, orgId)).toBe(1);
    const relayed = app.publisher.calls.filter((c) => c.eventId === event.id);
    expect(relayed.map((c) => c.result?.duplicate)).toEqual([false, true]);
  });

  describe('OutboxWriter', () => {
    it('refuses a manager outside a transaction', async () => {
      const event = apiKeyCreated(newOrg(), 1);
      await expect(app.writer.add(app.dataSource.manager, ApiKeyCreated, event)).rejects.toBeInstanceOf(
        OutboxNotInTransaction,
      );
    });

    it('fails the calling transaction for an event its contract rejects', async () => {
      const bad = { ...apiKeyCreated(newOrg(), 1), data: { orgId: 'x' } } as unknown as ReturnType<
        typeof apiKeyCreated
      >;
      await expect(recordNote(app, bad)).rejects.toBeInstanceOf(SchemaViolation);
      expect(await app.dataSource.query(`SELECT id FROM outbox_test_notes WHERE id = $1`, [bad.id])).toEqual(
        [],
      );
    });

    it('refuses a contract the relay could not resolve later', async () => {
      const Stray = defineEvent({
        type: 'outboxtest.stray',
        version: 1,
        summary: 'Neither in the catalogue nor in the module options.',
        data: Type.Object({}),
      });
      await expect(
        app.dataSource.transaction((manager) =>
          app.writer.add(manager, Stray, {
            ...apiKeyCreated(newOrg(), 1),
            type: 'io.confer.outboxtest.stray',
            data: {},
          }),
        ),
      ).rejects.toBeInstanceOf(UnknownOutboxContract);
    });
  });
});
