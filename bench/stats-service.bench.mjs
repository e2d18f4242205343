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
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
// A name of its own on its PostgreSQL connections, so the bench can find them and read their CPU time.
const APPLICATION_NAME = `confer-stats-bench-${process.pid}`;
const withApplicationName = (url) =>
  `${url}${url.includes('?') ? '&' : '?'}application_name=${APPLICATION_NAME}`;
const env = {
  ...process.env,
  DATABASE_URL: withApplicationName(auth.env.DATABASE_URL),
  NATS_URL: auth.env.NATS_URL,
  STATS_DB_SCHEMA: schema,
  STATS_PORT: '18083',
  PUBLIC_URL: auth.env.PUBLIC_URL,
  AUTH_JWKS_URL: `${auth.baseUrl}/.well-known/jwks.json`,
  LOG_LEVEL: 'warn',
};
execFileSync(process.execPath, [join(root, 'apps/stats/dist/database/migrate.js')], { env, stdio: 'ignore' });

let child;
// A bench stopped half-way must not leave its service or nats-server running for the next one.
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    child?.kill('SIGKILL');
    natsServer.kill('SIGKILL');
    process.exit(1);
  });
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

// CPU seconds (user + system) of a process, from /proc: the machine is shared, so wall-clock
// rates depend on what else runs; CPU per event does not (much).
const TICKS_PER_SECOND = 100;
function cpuSecondsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
const pgClient = new Client({ connectionString: auth.env.DATABASE_URL });
await pgClient.connect();
async function cpuSnapshot() {
  const { rows } = await pgClient.query(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, [
    APPLICATION_NAME,
  ]);
  const backends = new Map(rows.map((r) => [r.pid, cpuSecondsOf(r.pid)]));
  return { stats: cpuSecondsOf(child.pid), nats: cpuSecondsOf(natsServer.pid), backends };
}
function cpuDelta(before, after) {
  let postgres = 0;
  for (const [pid, cpu] of after.backends) postgres += cpu - (before.backends.get(pid) ?? 0);
  return {
    stats: +(after.stats - before.stats).toFixed(2),
    postgres: +postgres.toFixed(2),
    nats: +(after.nats - before.nats).toFixed(2),
  };
}
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

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

/**
 * Seconds from the first delivery until `expected` events are acknowledged. The first delivery
 * is seen by polling the consumer's info; the acks by listening to them on the bus, because
 * polling the info throughout costs the 2.9 server a few ms of CPU per call (it counts what
 * is pending) and would time the bench's own polling. Ends by checking that the consumer has
 * nothing pending or unacknowledged.
 */
async function timeIngestion(expected) {
  let acks = 0;
  let last;
  const sub = nc.subscribe(`$JS.ACK.${STREAM}.stats.>`, {
    callback: (_, msg) => {
      // A plain ack has an empty body or "+ACK"; naks and progress notes are not the end of an event.
      const body = new TextDecoder().decode(msg.data);
      if (body === '' || body === '+ACK') {
        acks++;
        last = performance.now();
      }
    },
  });
  await nc.flush();
  let first;
  while (first === undefined) {
    const info = await consumerInfo().catch(() => undefined);
    if (info && info.delivered.stream_seq > 0) first = performance.now();
    else await new Promise((r) => setTimeout(r, Number(process.env.BENCH_POLL_MS ?? 10)));
  }
  while (acks < expected) await new Promise((r) => setTimeout(r, 5));
  sub.unsubscribe();
  for (;;) {
    const info = await consumerInfo();
    if (info.num_pending === 0 && info.num_ack_pending === 0) break;
    if (process.env.BENCH_DEBUG)
      console.error(JSON.stringify({ pending: info.num_pending, ackPending: info.num_ack_pending }));
    await new Promise((r) => setTimeout(r, 100));
  }
  return (last - first) / 1000;
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
const timing = timeIngestion(ingestEvents.length);
await startStats();
const cpuBefore = await cpuSnapshot();
const seconds = await timing;
const cpu = cpuDelta(cpuBefore, await cpuSnapshot());
const cpuTotal = cpu.stats + cpu.postgres + cpu.nats;
const ingestion = {
  events: ingestEvents.length,
  seconds: +seconds.toFixed(2),
  eventsPerSecond: Math.round(ingestEvents.length / seconds),
  // CPU seconds spent by the service process, its PostgreSQL backends and the nats-server.
  cpu,
  // What that CPU would allow with the service's 1 thread and the 2 cores to itself.
  eventsPerCpuSecondOfService: Math.round(ingestEvents.length / Math.max(cpu.stats, 0.01)),
  eventsPerSecondOnTwoIdleCores: Math.round(
    Math.min(
      ingestEvents.length / Math.max(cpu.stats, 0.01),
      (2 * ingestEvents.length) / Math.max(cpuTotal, 0.01),
    ),
  ),
  loadAverage: loadAverage(),
};
console.log(JSON.stringify({ bench: 'stats-ingestion', ...ingestion }));

// 2. Queries on one room with QUERY_SESSIONS sessions over 30 days (one peer in 20 comes back).
const queryEvents = [];
const span = 30 * 86_400_000;
for (let i = 0; i < QUERY_SESSIONS; i++) {
  const join = t0 + Math.floor((i / QUERY_SESSIONS) * span);
  queryEvents.push(...sessionEvents('bench-big', `person-${i % 9500}`, join, join + 5 * 60_000));
}
// Listening for the acks before publishing: the running service acknowledges at once.
const queryTiming = timeIngestion(queryEvents.length);
await publishAll(queryEvents);
await queryTiming;

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
// Each query twice over: "fresh", a period of its own per request (`to` moves by a millisecond),
// so no kept answer can serve it (the room's sessions kept in memory can); and "repeated", the
// same period every time, answered from what the service kept while the room is unchanged.
// STATS_ROOM_SNAPSHOT_SESSIONS=0 STATS_ANSWER_CACHE_MB=0 (passed to the service) times what
// PostgreSQL answers, as for a room that changed since it was last asked about.
const results = {};
let n = 0;
const toOf = (fresh) => (fresh ? new Date(t0 + span + 86_400_000 + ++n).toISOString() : to);
for (const [name, pathOf] of [
  ['peers', (fresh) => `/streaming/statistics/peers?room_id=bench-big&from=${from}&to=${toOf(fresh)}`],
  [
    'summary',
    (fresh) => `/streaming/statistics/peers/summary?room_id=bench-big&from=${from}&to=${toOf(fresh)}`,
  ],
]) {
  for (const fresh of [true, false]) {
    for (let i = 0; i < 20; i++) await get(pathOf(fresh)); // warm-up
    const before = await cpuSnapshot();
    const result = await drive({ total: QUERIES, concurrency: CONCURRENCY, task: () => get(pathOf(fresh)) });
    const used = cpuDelta(before, await cpuSnapshot());
    results[`${name}-${fresh ? 'fresh' : 'repeated'}`] = result;
    console.log(
      JSON.stringify({
        bench: `stats-query-${name}-${fresh ? 'fresh' : 'repeated'}`,
        sessions: QUERY_SESSIONS,
        ...result,
        cpuMsPerQuery: {
          stats: +((used.stats * 1000) / QUERIES).toFixed(1),
          postgres: +((used.postgres * 1000) / QUERIES).toFixed(1),
        },
        loadAverage: loadAverage(),
      }),
    );
  }
}

await nc.close();
await pgClient.end();
await stopStats();
const client = new Client({ connectionString: env.DATABASE_URL });
await client.connect();
await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
await client.end();
await auth.stop();
natsServer.kill('SIGTERM');
await new Promise((r) => natsServer.on('exit', r));
rmSync(storeDir, { recursive: true, force: true });
