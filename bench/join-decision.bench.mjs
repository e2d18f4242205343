// Join decisions through the rooms service's public API (POST /v1/rooms/:roomId/joins),
// each with a participant token verified by auth over NATS, the room's state changed in
// PostgreSQL with its events in the outbox, and a join grant signed by the rooms replica.
// Target (issue #3): at least 500 decisions/s with p99 under 20 ms on 2 cores.
// Two phases: capacity (BENCH_CONCURRENCY joins always in flight: how many per second the
// machine decides), then latency at a fixed offered rate (BENCH_RATE joins/s arriving on
// their own schedule: the p99 a client sees at that load). BENCH_RATE=0 skips the second.
import http from 'node:http';
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { SignJWT } from 'jose';
import { drive, driveAtRate, startAuthService } from './support/auth-service.mjs';
import { startRoomsService } from './support/rooms-service.mjs';

const pg = createRequire(import.meta.url)('pg');

const TOTAL = Number(process.env.BENCH_TOTAL ?? 10000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROOMS = Number(process.env.BENCH_ROOMS ?? 200);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const RATE_TOTAL = Number(process.env.BENCH_RATE_TOTAL ?? 5000);
const NATS_PORT = Number(process.env.BENCH_NATS_PORT ?? 14232);

// A NATS of its own: another auth service on a shared NATS would answer some of the
// commands (it does not know this bench's keys), and other traffic would add to the noise.
const natsDir = mkdtempSync(joinPath(tmpdir(), 'confer-bench-nats-'));
const natsServer = spawn(
  process.env.NATS_SERVER_BIN ?? 'nats-server',
  ['-a', '127.0.0.1', '-p', String(NATS_PORT), '-js', '-sd', natsDir],
  { stdio: 'ignore' },
);
function stopNats() {
  natsServer.kill('SIGTERM');
  rmSync(natsDir, { recursive: true, force: true });
}

process.env.NATS_URL = `nats://127.0.0.1:${NATS_PORT}`;
await new Promise((r) => setTimeout(r, 500));

let auth;
let rooms;
try {
  auth = await startAuthService({ port: Number(process.env.BENCH_AUTH_PORT ?? 18091) });
  rooms = await startRoomsService(auth, { port: Number(process.env.BENCH_ROOMS_PORT ?? 18092) });
} catch (error) {
  await auth?.stop();
  stopNats();
  throw error;
}
const secret = new TextEncoder().encode(auth.org.apiKeySecret);
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
// Arrivals at a fixed rate are independent clients: as many connections as joins in flight.
const openAgent = new http.Agent({ keepAlive: true });

// Gcore-style room tokens (HS256 with the API key secret, kid = the key), one per join.
const tokens = await Promise.all(
  Array.from({ length: TOTAL + 1000 + (RATE > 0 ? RATE_TOTAL : 0) }, (_, i) =>
    new SignJWT({
      roomId: `bench-${i % ROOMS}`,
      peerId: `peer-${i}`,
      role: 'participant',
      displayName: `Peer ${i}`,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: auth.org.apiKey })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(secret),
  ),
);

function join(i, through = agent) {
  const body = JSON.stringify({ token: tokens[i] });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${rooms.baseUrl}/v1/rooms/bench-${i % ROOMS}/joins`,
      {
        method: 'POST',
        agent: through,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () =>
          res.statusCode === 201 ? resolve() : reject(new Error(`${res.statusCode} ${data}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

// CPU time (user + system, ms) a process has used: unlike rates, CPU per decision stays
// comparable when other work shares the machine.
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in 1/100 s
}

/**
 * The PostgreSQL backends serving rooms and auth: their client ports (from `ss`), matched
 * in pg_stat_activity. Taken after the warm-up, when the pools are open.
 */
async function postgresBackends() {
  const ports = new Map();
  const sockets = execFileSync('ss', ['-tnpH', 'state', 'established', '( dport = :5432 )']).toString();
  for (const line of sockets.split('\n')) {
    const match = /127\.0\.0\.1:(\d+)\s.*pid=(\d+),/.exec(line);
    const owner = match && { [rooms.pid]: 'rooms', [auth.pid]: 'auth' }[match[2]];
    if (owner) ports.set(Number(match[1]), owner);
  }
  const client = new pg.Client({ connectionString: auth.env.DATABASE_URL });
  await client.connect();
  const { rows } = await client.query(
    'SELECT pid, client_port FROM pg_stat_activity WHERE client_port IS NOT NULL',
  );
  await client.end();
  const of = (owner) => rows.filter((r) => ports.get(r.client_port) === owner).map((r) => r.pid);
  return { rooms: of('rooms'), auth: of('auth') };
}
const postgresCpuMs = (pids) =>
  pids.reduce((sum, pid) => {
    try {
      return sum + cpuMs(pid);
    } catch {
      return sum; // a backend that went away
    }
  }, 0);

const processes = { rooms: rooms.pid, auth: auth.pid, nats: natsServer.pid };
const cpuNow = () => ({
  ...Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuMs(pid)])),
  // The load generator itself (HTTP client), from the same 2 cores.
  bench: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
});

try {
  await drive({ total: 1000, concurrency: CONCURRENCY, task: (i) => join(TOTAL + i) }); // warm-up
  const backends = await postgresBackends();
  const postgresNow = () => ({
    postgresForRooms: postgresCpuMs(backends.rooms),
    postgresForAuth: postgresCpuMs(backends.auth),
  });
  const before = { ...cpuNow(), ...postgresNow() };
  const result = await drive({ total: TOTAL, concurrency: CONCURRENCY, task: join });
  const after = { ...cpuNow(), ...postgresNow() };
  const cpuMsPerDecision = Object.fromEntries(
    Object.keys(after).map((name) => [name, +((after[name] - before[name]) / TOTAL).toFixed(3)]),
  );
  console.log(
    JSON.stringify({ bench: 'join-decision', unit: 'decisions', rooms: ROOMS, ...result, cpuMsPerDecision }),
  );
  if (RATE > 0) {
    await new Promise((r) => setTimeout(r, 2000)); // let the capacity phase's backlog (relay) settle
    const atRate = await driveAtRate({
      total: RATE_TOTAL,
      rate: RATE,
      task: (i) => join(TOTAL + 1000 + i, openAgent),
    });
    console.log(
      JSON.stringify({ bench: 'join-decision-at-rate', unit: 'decisions', rooms: ROOMS, ...atRate }),
    );
  }
} finally {
  agent.destroy();
  openAgent.destroy();
  await rooms.stop();
  await auth.stop();
  stopNats();
}
