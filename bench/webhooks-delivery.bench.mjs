// Webhook deliveries end to end: call events published on JetStream (as the rooms service's
// outbox relay does), taken in by the webhooks service, signed and POSTed to a real local
// receiver (node:http on 127.0.0.1) that verifies every delivery as docs/webhooks.md says:
// RS256 token against the JWKS (fetched once, cached), audience, issuer, body SHA-256, event id.
// 1. throughput: BENCH_EVENTS events to one room with BENCH_SUBSCRIBERS subscribers.
// 2. latency: BENCH_RATE events/s for BENCH_SECONDS to a room with one subscriber,
//    from publication to verified receipt. BENCH_LATENCY_ROOMS=N spreads the same rate over
//    N rooms, each subscribed to the same endpoint (order is kept per room, so one room's
//    deliveries go one after another; different rooms' go side by side).
// Targets (issue #4): ≥ 5,000 verified deliveries/s with 100 subscribers; p99 < 50 ms at 500 events/s.
// BENCH_RECEIVER_THREAD=1 runs the receiver on a thread of its own, so that publishing does
// not hold up its answers (a room's deliveries to an endpoint wait for each other's answers).
import http from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createHash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { percentiles, startAuthService } from './support/auth-service.mjs';
import { startWebhooksService } from './support/webhooks-service.mjs';

/** The verifying receiver; calls back with each verified delivery's path, event id and wall-clock time. */
async function startReceiver({ keys, issuer }, onVerified, onRejected) {
  const jwks = createLocalJWKSet(keys);
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      try {
        const { payload } = await jwtVerify(req.headers.authorization, jwks, {
          algorithms: ['RS256'],
          audience: 'confer:webhook',
          issuer,
        });
        if (payload.body_sha256 !== createHash('sha256').update(body).digest('base64url'))
          throw new Error('body hash');
        const event = JSON.parse(body.toString('utf8'));
        if (event.id !== payload.event_id) throw new Error('event id');
        onVerified(req.url, event.id, performance.timeOrigin + performance.now());
        res.statusCode = 200;
      } catch (error) {
        onRejected(String(error));
        res.statusCode = 401;
      }
      res.end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

if (!isMainThread) {
  const server = await startReceiver(
    workerData,
    (url, eventId, at) => parentPort.postMessage({ url, eventId, at }),
    (error) => parentPort.postMessage({ error }),
  );
  parentPort.postMessage({ port: server.address().port });
} else await main();

async function main() {
  const require = createRequire(import.meta.url);
  const { connect } = require('nats');
  const { buildEvent, PeerJoined, subjectOf } = require('@confer/contracts');

  const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 100);
  const EVENTS = Number(process.env.BENCH_EVENTS ?? 200);
  const RATE = Number(process.env.BENCH_RATE ?? 500);
  const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
  const LATENCY_ROOMS = Number(process.env.BENCH_LATENCY_ROOMS ?? 1);
  const latencyRoom = (i) => (LATENCY_ROOMS === 1 ? 'bench-latency' : `bench-latency-${i % LATENCY_ROOMS}`);

  const auth = await startAuthService({ port: Number(process.env.BENCH_AUTH_PORT ?? 18181) });
  const webhooks = await startWebhooksService(auth, {
    port: Number(process.env.BENCH_WEBHOOKS_PORT ?? 18184),
  });
  const nc = await connect({ servers: auth.env.NATS_URL });
  const js = nc.jetstream();

  const keys = await (await fetch(`${auth.baseUrl}/.well-known/jwks.json`)).json();
  const issuer = auth.env.PUBLIC_URL;
  /** Publication times, wall clock (ms), comparable across threads. */
  const publishedAt = new Map();
  const received = { verified: 0, rejected: 0, latencies: [], last: 0, byPath: new Map() };
  const onVerified = (url, eventId, at) => {
    received.verified++;
    received.last = performance.now();
    received.byPath.set(url, (received.byPath.get(url) ?? 0) + 1);
    const t0 = publishedAt.get(eventId);
    if (t0 !== undefined && url === '/latency') {
      received.latencies.push(at - t0);
      received.firstLatency ??= performance.now();
    }
  };
  const onRejected = (error) => {
    received.rejected++;
    if (received.rejected < 3) console.error(error);
  };
  let receiver;
  let receiverPort;
  if (process.env.BENCH_RECEIVER_THREAD === '1') {
    receiver = new Worker(new URL(import.meta.url), { workerData: { keys, issuer } });
    receiverPort = await new Promise((resolve, reject) => {
      receiver.on('message', (m) => {
        if (m.port) resolve(m.port);
        else if (m.error) onRejected(m.error);
        else onVerified(m.url, m.eventId, m.at);
      });
      receiver.on('error', reject);
    });
  } else {
    receiver = await startReceiver({ keys, issuer }, onVerified, onRejected);
    receiverPort = receiver.address().port;
  }
  const receiverUrl = `http://127.0.0.1:${receiverPort}`;

  const tokenAnswer = await fetch(`${auth.baseUrl}/v1/auth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${auth.org.apiKey}:${auth.org.apiKeySecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  const { access_token: accessToken } = await tokenAnswer.json();
  async function subscribe(url, roomId) {
    const answer = await fetch(`${webhooks.baseUrl}/v1/orgs/${auth.org.orgId}/webhooks/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url, roomId }),
    });
    if (answer.status !== 201) throw new Error(`subscribe: ${answer.status} ${await answer.text()}`);
  }

  let peer = 0;
  async function publish(roomId) {
    const data = {
      roomId,
      conferenceNumber: '12345678',
      peerId: `peer-${peer++}`,
      connectionId: randomUUID(),
      role: 'participant',
      face: 'call',
      joinedAt: new Date().toISOString(),
    };
    const event = buildEvent(PeerJoined, { source: '/confer/rooms', orgId: auth.org.orgId, roomId, data });
    publishedAt.set(event.id, performance.timeOrigin + performance.now());
    await js.publish(subjectOf(PeerJoined, event), new TextEncoder().encode(JSON.stringify(event)), {
      msgID: event.id,
    });
  }

  async function waitFor(count, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (received.verified < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  try {
    for (let i = 0; i < SUBSCRIBERS; i++) await subscribe(`${receiverUrl}/s${i}`, 'bench-fanout');
    for (let i = 0; i < LATENCY_ROOMS; i++) await subscribe(`${receiverUrl}/latency`, latencyRoom(i));

    // Warm-up: connections, token cache, JIT.
    for (let i = 0; i < 10; i++) await publish('bench-fanout');
    await waitFor(10 * SUBSCRIBERS, 30000);

    // 1. Throughput with SUBSCRIBERS subscribers to one room.
    const before = received.verified;
    const t0 = performance.now();
    for (let i = 0; i < EVENTS; i++) await publish('bench-fanout');
    await waitFor(before + EVENTS * SUBSCRIBERS, 120000);
    const seconds = (received.last - t0) / 1000;
    const delivered = received.verified - before;
    console.log(
      JSON.stringify({
        bench: 'webhooks-delivery',
        phase: 'fan-out',
        subscribers: SUBSCRIBERS,
        events: EVENTS,
        delivered,
        rejected: received.rejected,
        seconds: +seconds.toFixed(2),
        perSecond: Math.round(delivered / seconds),
      }),
    );

    // 2. Latency at RATE events/s, one subscriber.
    const base = received.verified;
    const total = RATE * SECONDS;
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      void publish(latencyRoom(i));
    }
    await waitFor(base + total, 60000);
    const lat = percentiles(received.latencies);
    console.log(
      JSON.stringify({
        bench: 'webhooks-delivery',
        phase: 'latency',
        rate: RATE,
        rooms: LATENCY_ROOMS,
        events: total,
        received: received.latencies.length,
        rejected: received.rejected,
        p50: +lat.p50.toFixed(2),
        p90: +lat.p90.toFixed(2),
        p99: +lat.p99.toFixed(2),
        max: +lat.max.toFixed(2),
        // Below the rate offered, the room's deliveries queue up: latency then grows through the run.
        deliveredPerSecond: Math.round(
          (received.latencies.length - 1) / ((received.last - received.firstLatency) / 1000),
        ),
      }),
    );
  } finally {
    await nc.close();
    if (receiver instanceof Worker) await receiver.terminate();
    else {
      receiver.closeAllConnections();
      receiver.close();
    }
    await webhooks.stop();
    await auth.stop();
  }
}
