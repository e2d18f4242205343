// Participant-token verification over NATS request/reply, as the rooms service calls it.
// Target (issue #2): at least 5,000 verifications/s with p99 under 10 ms on 2 cores.
import { connect, headers } from 'nats';
import { SignJWT } from 'jose';
import { drive, startAuthService } from './support/auth-service.mjs';

const TOTAL = Number(process.env.BENCH_TOTAL ?? 50000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SUBJECT = 'confer.cmd.auth.participant-token.verify';

const auth = await startAuthService();
const nc = await connect({ servers: auth.env.NATS_URL });
const secret = new TextEncoder().encode(auth.org.apiKeySecret);
const now = Math.floor(Date.now() / 1000);

// A pool of distinct Coviu session tokens (HS256 with the key secret), as many integrators' links.
const tokens = await Promise.all(
  Array.from({ length: 1000 }, (_, i) =>
    new SignJWT({ un: `Guest ${i}`, ref: `user-${i}`, sid: 'bench-room', rle: 'guest' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(auth.org.apiKey)
      .setNotBefore(now - 60)
      .setExpirationTime(now + 3600)
      .sign(secret),
  ),
);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function verify(i) {
  const reply = await nc.request(
    SUBJECT,
    encoder.encode(JSON.stringify({ token: tokens[i % tokens.length], roomId: 'bench-room' })),
    {
      timeout: 2000,
      headers: headers(),
    },
  );
  const body = JSON.parse(decoder.decode(reply.data));
  if (!body.ok || !body.reply.valid) throw new Error(`unexpected reply ${JSON.stringify(body)}`);
}

try {
  await drive({ total: 2000, concurrency: CONCURRENCY, task: verify }); // warm-up
  const result = await drive({ total: TOTAL, concurrency: CONCURRENCY, task: verify });
  console.log(JSON.stringify({ bench: 'participant-token-verify', unit: 'verifications', ...result }));
} finally {
  await nc.drain();
  await auth.stop();
}
