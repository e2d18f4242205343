import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { startAuthService, RunningAuthService } from '../../support/auth-service.harness';
import { BuiltServiceProcess, spawnBuiltService } from '../../support/built-service.process';
import { createOrganisation } from '../../support/confer-cli';
import { OtlpReceiver } from '../../support/otlp-receiver';

// What an operator relies on when a join goes wrong: one trace follows it from the HTTP
// request to the rooms service, through the call event on NATS, to the webhook delivered to
// the integrator and the stats service's update. The services run as production runs them
// (their own processes, telemetry loaded first) and export to an OTLP receiver in the test.

const SPAN_KIND = { SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };

describe('one trace from a join to its webhook and its statistics', () => {
  jest.setTimeout(120_000);
  let auth: RunningAuthService;
  let otlp: OtlpReceiver;
  let receiver: http.Server;
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const services: BuiltServiceProcess[] = [];
  let rooms: BuiltServiceProcess;
  let webhooks: BuiltServiceProcess;
  let stats: BuiltServiceProcess;
  let org: { orgId: string; apiKey: string; apiKeySecret: string };
  let accessToken: string;

  beforeAll(async () => {
    auth = await startAuthService();
    org = await createOrganisation(auth.env, 'Tracing', ['--rate-limit', '1000']);
    const tokenResponse = await fetch(`${auth.baseUrl}/v1/auth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${org.apiKey}:${org.apiKeySecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    accessToken = ((await tokenResponse.json()) as { access_token: string }).access_token;

    otlp = await OtlpReceiver.start();
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));

    const common = {
      NATS_URL: auth.natsUrl,
      PUBLIC_URL: auth.env.PUBLIC_URL,
      AUTH_JWKS_URL: `${auth.baseUrl}/.well-known/jwks.json`,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_METRIC_EXPORT_INTERVAL: '600000',
      DEFAULT_RATE_LIMIT_PER_SECOND: '1000',
    };
    const consumer = `trace_${randomBytes(4).toString('hex')}`;
    rooms = await spawnBuiltService('rooms', common);
    webhooks = await spawnBuiltService('webhooks', {
      ...common,
      WEBHOOKS_CONSUMER: `${consumer}_webhooks`,
      WEBHOOKS_WORKERS: '1',
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOKS_ALLOW_HTTP: 'true',
      WEBHOOK_POLL_MS: '50',
    });
    stats = await spawnBuiltService('stats', { ...common, STATS_CONSUMER: `${consumer}_stats` });
    services.push(rooms, webhooks, stats);
  });

  afterAll(async () => {
    for (const service of services) await service.stop();
    await new Promise((resolve) => receiver?.close(resolve));
    await otlp?.close();
    await auth?.close();
  });

  it('shares one trace id across rooms, NATS, webhooks and stats', async () => {
    const subscribe = await fetch(`${webhooks.baseUrl}/v1/orgs/${org.orgId}/webhooks/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
        eventTypes: ['peer.joined'],
      }),
    });
    expect(subscribe.status).toBe(201);

    const minted = await fetch(`${auth.baseUrl}/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ identity: 'tracy', roomId: 'traced-room' }),
    });
    const { token } = (await minted.json()) as { token: string };

    // The integrator's own trace: its id must come out at the other end.
    const traceId = randomBytes(16).toString('hex');
    const join = await fetch(`${rooms.baseUrl}/v1/rooms/traced-room/joins`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
      body: JSON.stringify({ token }),
    });
    expect(join.status).toBe(201);

    const deadline = Date.now() + 60_000;
    const wanted = () => {
      const spans = otlp.inTrace(traceId);
      const has = (service: string, kind: number) =>
        spans.some((s) => s.service === service && s.kind === kind);
      return (
        has('rooms', SPAN_KIND.SERVER) &&
        has('webhooks', SPAN_KIND.CONSUMER) &&
        has('webhooks', SPAN_KIND.CLIENT) &&
        has('stats', SPAN_KIND.CONSUMER)
      );
    };
    while (!wanted() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));

    const spans = otlp.inTrace(traceId);
    const summary = spans.map((s) => `${s.service}:${s.kind}:${s.name}`).sort();
    // The join's HTTP request, the call event published from rooms' outbox, its intake by
    // webhooks, the delivery to the integrator, and stats' processing of the same event.
    expect(summary).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rooms:2:POST/),
        expect.stringMatching(/^rooms:4:/),
        expect.stringMatching(/^webhooks:5:process /),
        expect.stringMatching(/^webhooks:3:POST/),
        expect.stringMatching(/^stats:5:process /),
      ]),
    );
    // The integrator's receiver sees the same trace in the delivery's own headers.
    const delivery = received.find((r) => r.body.includes('peer.joined'));
    expect(delivery?.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));

    // And operators count the attempt by its outcome (the failure-rate alert reads this).
    const metrics = await (await fetch(`${webhooks.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/webhooks_delivery_attempts_total\{[^}]*outcome="delivered"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/webhooks_delivery_duration\w*_bucket\{/);
  });
});
