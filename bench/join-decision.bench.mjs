// Join decisions through the rooms service's public API (POST /v1/rooms/:roomId/joins),
// each with a participant token verified by auth over NATS, the room's state changed in
// PostgreSQL with its events in the outbox, and a join grant signed by auth.
// Target (issue #3): at least 500 decisions/s with p99 under 20 ms on 2 cores.
import http from 'node:http';
import { SignJWT } from 'jose';
import { drive, startAuthService } from './support/auth-service.mjs';
import { startRoomsService } from './support/rooms-service.mjs';

const TOTAL = Number(process.env.BENCH_TOTAL ?? 10000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROOMS = Number(process.env.BENCH_ROOMS ?? 200);

const auth = await startAuthService();
const rooms = await startRoomsService(auth);
const secret = new TextEncoder().encode(auth.org.apiKeySecret);
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

// Gcore-style room tokens (HS256 with the API key secret, kid = the key), one per join.
const tokens = await Promise.all(
  Array.from({ length: TOTAL + 1000 }, (_, i) =>
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

function join(i) {
  const body = JSON.stringify({ token: tokens[i] });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${rooms.baseUrl}/v1/rooms/bench-${i % ROOMS}/joins`,
      {
        method: 'POST',
        agent,
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

try {
  await drive({ total: 1000, concurrency: CONCURRENCY, task: (i) => join(TOTAL + i) }); // warm-up
  const result = await drive({ total: TOTAL, concurrency: CONCURRENCY, task: join });
  console.log(JSON.stringify({ bench: 'join-decision', unit: 'decisions', rooms: ROOMS, ...result }));
} finally {
  agent.destroy();
  await rooms.stop();
  await auth.stop();
}
