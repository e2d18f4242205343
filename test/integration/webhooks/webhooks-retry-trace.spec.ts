import { randomBytes, randomUUID } from 'crypto';
import { headers as natsHeaders } from 'nats';
import { buildEvent, PeerJoined } from '@confer/contracts';
import { shutdownTelemetry, startTelemetry } from '@confer/telemetry';
import { OtlpReceiver, ReceivedSpan } from '../../support/otlp-receiver';
import { RunningWebhooksService, startWebhooksService } from '../../support/webhooks-service.harness';
import { Receiver, until } from './receiver';
import { startWebhooksFixture, WebhooksFixture } from './webhooks-fixture';

const ROOM = 'traced-retries';
const SPAN_KIND = { INTERNAL: 1, CLIENT: 3, CONSUMER: 5 };
const ATTEMPT = 'webhook delivery attempt';

/**
 * A delivery its receiver refuses is attempted again later, claimed from the database by the
 * retry loop, long after the event's own processing ended. Each attempt is still a span of
 * the event's trace, and its request carries that trace, so an operator following an event
 * sees every attempt of its webhook, and a receiver that traces joins the same trace.
 */
describe('webhooks: a retried delivery continues the trace of its event', () => {
  let otlp: OtlpReceiver;
  let f: WebhooksFixture;
  let w: RunningWebhooksService;
  let receiver: Receiver;

  beforeAll(async () => {
    otlp = await OtlpReceiver.start();
    // Before the harness starts the process's telemetry: this one sends its spans here.
    startTelemetry({ serviceName: 'webhooks', env: {}, spanProcessors: [otlp.spanProcessor()] });
    f = await startWebhooksFixture();
    w = await startWebhooksService(f.auth, { WEBHOOK_RETRY_BASE_MS: '300', WEBHOOK_RETRY_FACTOR: '1' });
    receiver = await Receiver.open();
  });
  afterAll(async () => {
    await receiver?.close();
    await w?.close();
    await f?.close();
    await shutdownTelemetry();
    await otlp?.close();
  });

  it('makes every attempt, the retries from the database included, a span of the event trace its request carries', async () => {
    await f.subscribe(w.baseUrl, { url: `${receiver.url}/traced`, roomId: ROOM });
    receiver.script.push(500, 503);

    // The event comes in a trace of its own, as one published in a join's request does.
    const traceId = randomBytes(16).toString('hex');
    const carried = natsHeaders();
    carried.set('traceparent', `00-${traceId}-${randomBytes(8).toString('hex')}-01`);
    carried.set('tracestate', 'confer=test');
    const event = buildEvent(PeerJoined, {
      source: '/confer/rooms',
      orgId: f.org.orgId,
      roomId: ROOM,
      data: {
        roomId: ROOM,
        conferenceNumber: '12345678',
        peerId: 'tracy',
        connectionId: randomUUID(),
        role: 'participant',
        face: 'call',
        joinedAt: new Date().toISOString(),
      },
    });
    await f.publish(PeerJoined, event, carried);

    // Refused twice, then taken: three requests, the last two retries claimed from the database.
    const seen = await until(() => {
      const got = receiver.received.filter((r) => r.path === '/traced');
      return got.length === 3 && got;
    }, 20000);
    expect(seen.map((r) => r.headers['confer-attempt'])).toEqual(['1', '2', '3']);

    // The delivery's row keeps the trace the intake saw (the event's processing span).
    const { rows } = await f.sql.query<{ trace_parent: string; trace_state: string }>(
      `SELECT trace_parent, trace_state FROM ${w.schema}.deliveries WHERE event_id = $1`,
      [event.id],
    );
    expect(rows).toEqual([
      { trace_parent: expect.stringMatching(`^00-${traceId}-[0-9a-f]{16}-01$`), trace_state: 'confer=test' },
    ]);

    // Every attempt is a span of the event's trace, a child of the event's processing.
    const attempts = await until(() => {
      const spans = otlp.inTrace(traceId).filter((s) => s.name === ATTEMPT);
      return spans.length === 3 && spans;
    }, 15000);
    const processing = otlp
      .inTrace(traceId)
      .find((s) => s.service === 'webhooks' && s.kind === SPAN_KIND.CONSUMER);
    expect(processing).toBeDefined();
    expect(rows[0].trace_parent).toBe(`00-${traceId}-${processing!.spanId}-01`);
    const byAttempt = new Map(attempts.map((s) => [Number(s.attributes['webhooks.delivery.attempt']), s]));
    expect([...byAttempt.keys()].sort()).toEqual([1, 2, 3]);
    for (const [n, span] of byAttempt) {
      expect(span).toMatchObject({
        traceId,
        parentSpanId: processing!.spanId,
        kind: SPAN_KIND.INTERNAL,
        attributes: expect.objectContaining({
          'webhooks.event.id': event.id,
          'webhooks.delivery.outcome': n < 3 ? 'retry' : 'delivered',
        }),
      });
    }
    expect(byAttempt.get(1)?.attributes['http.response.status_code']).toEqual(500);
    expect(byAttempt.get(2)?.attributes['http.response.status_code']).toEqual(503);

    // What the receiver saw: each request's traceparent is its attempt's span (or the HTTP
    // client's span under it, where the HTTP client is instrumented) in the event's trace.
    const spans = otlp.inTrace(traceId);
    for (const request of seen) {
      const header = String(request.headers.traceparent);
      expect(header).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      const attempt = byAttempt.get(Number(request.headers['confer-attempt']))!;
      const carrier = header.split('-')[2];
      const sent: ReceivedSpan | undefined =
        carrier === attempt.spanId ? attempt : spans.find((s) => s.spanId === carrier);
      expect(sent === attempt || sent?.parentSpanId === attempt.spanId).toBe(true);
      expect(request.headers.tracestate).toBe('confer=test');
    }
  });
});
