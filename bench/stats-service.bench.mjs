// The stats service (issue #5), built, as its own process on a private nats-server:
// 1. ingestion: BENCH_SESSIONS sessions (a peer.joined and a peer.left each, 1 to 20 minutes
//    long, over BENCH_ROOMS rooms) already in the stream when the service starts; events/s
//    from the first delivery until the durable consumer has nothing pending or unacked.
//    Target: at least 20,000 events/s.
// 2. queries: one room with 10,000 sessions spread over 30 days (ingested as events too);
//    GET /streaming/statistics/peers and /peers/summary over the 30 days.
//    Target: p99 under 50 ms for both.
import { spawn, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drive, startAuthService, waitUntilReady } from './support/auth-service.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { connect } = require('nats');
const { Client } = require('pg');

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 50000);
const ROOMS = Number(process.env.BENCH_ROOMS ?? 500);
const QUERY_SESSIONS = Number(process.env.BENCH_QUERY_SESSIONS ?? 10000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const NATS_PORT = Number(process.env.BENCH_NATS_PORT ?? 14222);
const STREAM = 'CONFER_EVENTS';

// A NATS of its own: the consumer replays the whole stream, which must hold only these events.
const storeDir = mkdtempSync(join(tmpdir(), 'confer-bench-nats-'));
const natsServer = spawn(
  process.env.NATS_SERVER_BIN ?? 'nats-server',
  ['-a', '127.0.0.1', '-p', String(NATS_PORT), '-js', '-sd', storeDir],
  { stdio: 'ignore' },
);
process.env.NATS_URL = `nats://127.0.0.1:${NATS_PORT}`;
await new Promise((r) => setTimeout(r, 500));

const auth = await startAuthService();
const orgId = auth.org.orgId ?? auth.org.org_id ?? auth.org.id;
const schema = `stats_bench_${Date.now().toString(36)}`;
const env = {
  ...process.env,
  DATABASE_URL: auth.env.DATABASE_URL,
  NATS_URL: auth.env.NATS_URL,
  STATS_DB_SCHEMA: schema,
  STATS_PORT: '18083',
  PUBLIC_URL: auth.env.PUBLIC_URL,
  AUTH_JWKS_URL: `${auth.baseUrl}/.well-known/jwks.json`,
  LOG_LEVEL: 'warn',
};
execFileSync(process.execPath, [join(root, 'apps/stats/dist/database/migrate.js')], { env, stdio: 'ignore' });

let child;
async function startStats() {
  const nodeArgs = process.env.BENCH_STATS_NODE_ARGS ? process.env.BENCH_STATS_NODE_ARGS.split(' ') : [];
  child = spawn(process.execPath, [...nodeArgs, join(root, 'apps/stats/dist/main.js')], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitUntilReady('http://127.0.0.1:18083', 'stats');
}
async function stopStats() {
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
}

const nc = await connect({ servers: env.NATS_URL });
const js = nc.jetstream();
const jsm = await nc.jetstreamManager();
const encoder = new TextEncoder();

function sessionEvents(roomId, peerId, joinedAt, leftAt) {
  const peer = {
    roomId,
    conferenceNumber: '12345678',
    peerId,
    connectionId: randomUUID(),
    role: 'participant',
    face: 'call',
    joinedAt: new Date(joinedAt).toISOString(),
  };
  const envelope = (type, data, time) => ({
    specversion: '1.0',
    id: randomUUID(),
    source: '/confer/bench',
    type: `io.confer.peer.${type}`,
    time: new Date(time).toISOString(),
    datacontenttype: 'application/json',
    schemaversion: 1,
    orgid: orgId,
    roomid: roomId,
    data,
  });
  return [
    [`confer.evt.${orgId}.${roomId}.peer.joined.v1`, envelope('joined', peer, joinedAt)],
    [
      `confer.evt.${orgId}.${roomId}.peer.left.v1`,
      envelope('left', { ...peer, leftAt: new Date(leftAt).toISOString(), reason: 'left' }, leftAt),
    ],
  ];
}

async function publishAll(events) {
  for (let i = 0; i < events.length; i += 1000) {
    await Promise.all(
      events.slice(i, i + 1000).map(([subject, e]) => js.publish(subject, encoder.encode(JSON.stringify(e)))),
    );
  }
}

async function consumerInfo() {
  return jsm.consumers.info(STREAM, 'stats');
}

/** Seconds from the first delivery until nothing is pending or unacknowledged. */
async function timeIngestion() {
  let first;
  for (;;) {
    const info = await consumerInfo().catch(() => undefined);
    if (info) {
      if (first === undefined && info.delivered.stream_seq > 0) first = performance.now();
      if (process.env.BENCH_DEBUG && Math.random() < 0.05)
        console.error(
          JSON.stringify({
            pending: info.num_pending,
            ackPending: info.num_ack_pending,
            waiting: info.num_waiting,
            redelivered: info.num_redelivered,
            maxAckPending: info.config.max_ack_pending,
          }),
        );
      if (first !== undefined && info.num_pending === 0 && info.num_ack_pending === 0)
        return (performance.now() - first) / 1000;
    }
    await new Promise((r) => setTimeout(r, Number(process.env.BENCH_POLL_MS ?? 10)));
  }
}

// 1. Ingestion. The events are in the stream before the service first starts. (Stopping a
//    service and publishing before its restart would time NATS 2.9 instead: the pull requests
//    of the stopped process stay registered until they expire, and the server keeps handing
//    them messages that then wait out the ack timeout.)
await jsm.streams.info(STREAM); // made by the auth service's bus on start-up
const t0 = Date.UTC(2026, 9, 1);
const ingestEvents = [];
for (let i = 0; i < SESSIONS; i++) {
  const join = t0 + Math.floor(Math.random() * 86_400_000);
  const leave = join + 60_000 + Math.floor(Math.random() * 19 * 60_000);
  ingestEvents.push(...sessionEvents(`bench-${i % ROOMS}`, `peer-${i}`, join, leave));
}
await publishAll(ingestEvents);
const timing = timeIngestion();
await startStats();
const seconds = await timing;
const ingestion = {
  events: ingestEvents.length,
  seconds: +seconds.toFixed(2),
  eventsPerSecond: Math.round(ingestEvents.length / seconds),
};
console.log(JSON.stringify({ bench: 'stats-ingestion', ...ingestion }));

// 2. Queries on one room with QUERY_SESSIONS sessions over 30 days (one peer in 20 comes back).
const queryEvents = [];
const span = 30 * 86_400_000;
for (let i = 0; i < QUERY_SESSIONS; i++) {
  const join = t0 + Math.floor((i / QUERY_SESSIONS) * span);
  queryEvents.push(...sessionEvents('bench-big', `person-${i % 9500}`, join, join + 5 * 60_000));
}
await publishAll(queryEvents);
await timeIngestion();

const tokenResponse = await fetch(`${auth.baseUrl}/v1/auth/token`, {
  method: 'POST',
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    authorization: `Basic ${Buffer.from(`${auth.org.apiKey}:${auth.org.apiKeySecret}`).toString('base64')}`,
  },
  body: 'grant_type=client_credentials',
});
const { access_token: token } = await tokenResponse.json();
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const from = new Date(t0 - 86_400_000).toISOString();
const to = new Date(t0 + span + 86_400_000).toISOString();
function get(path) {
  return new Promise((resolve, reject) => {
    http
      .get(
        `http://127.0.0.1:18083${path}`,
        { agent, headers: { authorization: `Bearer ${token}` } },
        (res) => {
          let size = 0;
          res.on('data', (chunk) => (size += chunk.length));
          res.on('end', () =>
            res.statusCode === 200 ? resolve(size) : reject(new Error(`${path}: ${res.statusCode}`)),
          );
        },
      )
      .on('error', reject);
  });
}
const results = {};
for (const [name, path] of [
  ['peers', `/streaming/statistics/peers?room_id=bench-big&from=${from}&to=${to}`],
  ['summary', `/streaming/statistics/peers/summary?room_id=bench-big&from=${from}&to=${to}`],
]) {
  for (let i = 0; i < 20; i++) await get(path); // warm-up
  results[name] = await drive({ total: QUERIES, concurrency: CONCURRENCY, task: () => get(path) });
  console.log(JSON.stringify({ bench: `stats-query-${name}`, sessions: QUERY_SESSIONS, ...results[name] }));
}

await nc.close();
await stopStats();
const client = new Client({ connectionString: env.DATABASE_URL });
await client.connect();
await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
await client.end();
await auth.stop();
natsServer.kill('SIGTERM');
await new Promise((r) => natsServer.on('exit', r));
rmSync(storeDir, { recursive: true, force: true });
