// Join to first remote video frame in a real browser on loopback (issue #6).
// Target: p50 under 300 ms.
//
// The built auth, rooms and media services as their own processes, behind the gateway of
// `npm start` (which serves the built web client), and Debian's Chromium driven by
// playwright-core with its synthetic camera and microphone. A publisher page joins a room
// and sends camera and microphone; then, BENCH_ITERATIONS times, a new page opens the
// room link (/call/?roomId=…&token=…&nameScreenDisabled=true) and the page itself
// measures from the start of its join (POST /v1/rooms/{roomId}/joins) to the first
// decoded frame of the publisher's video (the video's loadeddata). Also reported:
// navigation start to that frame (page load included). Prints one JSON line.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startAuthService, waitUntilReady } from './support/auth-service.mjs';
import { startRoomsService } from './support/rooms-service.mjs';
import { startGateway } from '../deploy/local/gateway.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);
const NATS_PORT = Number(process.env.BENCH_NATS_PORT ?? 14242);
const AUTH_PORT = Number(process.env.BENCH_AUTH_PORT ?? 18191);
const ROOMS_PORT = Number(process.env.BENCH_ROOMS_PORT ?? 18192);
const MEDIA_PORT = Number(process.env.BENCH_MEDIA_PORT ?? 18195);
const GATEWAY_PORT = Number(process.env.BENCH_GATEWAY_PORT ?? 18190);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (
  !existsSync(join(root, 'apps/web/dist/call/index.html')) ||
  !existsSync(join(root, 'apps/media/dist/main.js'))
)
  throw new Error('build first: npx nx run-many -t build');
if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const cleanups = [];
// Whatever happens, nothing this bench started outlives it.
process.on('exit', () =>
  cleanups.reverse().forEach((f) => {
    try {
      f();
    } catch {
      /* already gone */
    }
  }),
);

// A NATS of its own, so no other service answers this bench's commands.
const natsDir = mkdtempSync(join(tmpdir(), 'confer-bench-nats-'));
const nats = spawn(
  process.env.NATS_SERVER_BIN ?? 'nats-server',
  ['-a', '127.0.0.1', '-p', String(NATS_PORT), '-js', '-sd', natsDir],
  {
    stdio: 'ignore',
  },
);
cleanups.push(() => {
  nats.kill('SIGTERM');
  rmSync(natsDir, { recursive: true, force: true });
});
process.env.NATS_URL = `nats://127.0.0.1:${NATS_PORT}`;
await new Promise((r) => setTimeout(r, 500));

const baseUrl = `http://127.0.0.1:${GATEWAY_PORT}`;
const auth = await startAuthService({ port: AUTH_PORT });
process.env.MEDIA_SERVERS = JSON.stringify([{ id: 'serv0', region: 'local', url: baseUrl }]);
cleanups.push(() => process.kill(auth.pid));
const rooms = await startRoomsService(auth, { port: ROOMS_PORT });
cleanups.push(() => process.kill(rooms.pid));

function workerBin() {
  if (process.env.MEDIASOUP_WORKER_BIN) return process.env.MEDIASOUP_WORKER_BIN;
  const line = readFileSync(join(root, '.env'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('MEDIASOUP_WORKER_BIN='));
  if (!line) throw new Error('MEDIASOUP_WORKER_BIN is not set (scripts/setup.sh writes it to .env)');
  return line.slice('MEDIASOUP_WORKER_BIN='.length).trim();
}
const media = spawn(process.execPath, [join(root, 'apps/media/dist/main.js')], {
  env: {
    ...process.env,
    MEDIA_PORT: String(MEDIA_PORT),
    MEDIA_SERVER_ID: 'serv0',
    MEDIA_WORKERS: '1',
    MEDIA_LISTEN_IP: '127.0.0.1',
    MEDIASOUP_WORKER_BIN: workerBin(),
    PUBLIC_URL: auth.env.PUBLIC_URL,
    AUTH_JWKS_URL: `${auth.baseUrl}/.well-known/jwks.json`,
    ROOMS_URL: rooms.baseUrl,
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
cleanups.push(() => media.kill('SIGTERM'));
await waitUntilReady(`http://127.0.0.1:${MEDIA_PORT}`, 'media');

const table = JSON.parse(readFileSync(join(root, 'deploy/routes.json'), 'utf8'));
const upstreams = { auth: auth.baseUrl, rooms: rooms.baseUrl, media: `http://127.0.0.1:${MEDIA_PORT}` };
const gateway = await startGateway(
  {
    ...table,
    services: Object.fromEntries(Object.keys(upstreams).map((n) => [n, table.services[n]])),
    routes: table.routes.filter((r) => r.service in upstreams),
  },
  { port: GATEWAY_PORT, host: '127.0.0.1', upstreams },
);

// An access token, then participant tokens minted through the public API.
const basic = Buffer.from(`${auth.org.apiKey}:${auth.org.apiKeySecret}`).toString('base64');
const { access_token: accessToken } = await (
  await fetch(`${auth.baseUrl}/v1/auth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  })
).json();
async function mint(identity, roomId) {
  const response = await fetch(`${auth.baseUrl}/v1/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ identity, roomId }),
  });
  if (response.status !== 201) throw new Error(`mint: ${response.status} ${await response.text()}`);
  return (await response.json()).token;
}
const roomUrl = (roomId, token) =>
  `${baseUrl}/call/?${new URLSearchParams({ roomId, token, nameScreenDisabled: 'true' })}`;

const profile = mkdtempSync(join(tmpdir(), 'confer-bench-chromium-'));
cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    '--disable-renderer-backgrounding',
    '--disable-background-timer-throttling',
    '--disable-backgrounding-occluded-windows',
    '--autoplay-policy=no-user-gesture-required',
  ],
});

const publisher = await context.newPage();
await publisher.goto(roomUrl('first-frame', await mint('publisher', 'first-frame')));
await publisher.waitForFunction('window.conferCall && window.conferCall.isOn("camera")', null, {
  timeout: 20000,
});
// Let the encoder settle past its start-up before measuring.
await new Promise((r) => setTimeout(r, 2000));

const joinToFrame = [];
const navigationToFrame = [];
for (let i = 0; i < ITERATIONS; i++) {
  const page = await context.newPage();
  await page.goto(roomUrl('first-frame', await mint(`viewer-${i}`, 'first-frame')));
  page.on('console', (m) => process.env.BENCH_DEBUG && console.error(`[viewer] ${m.type()} ${m.text()}`));
  await page
    .waitForFunction('window.conferCall && window.conferCall.firstRemoteFrameMs !== null', null, {
      timeout: 20000,
    })
    .catch(async (error) => {
      const state = await page.evaluate(
        `({ phase: document.getElementById('app').dataset.phase, text: document.body.innerText.slice(0, 200), tracks: window.conferCall && window.conferCall.session ? window.conferCall.session.remoteTracks().map((r) => r.source + ':' + r.track.readyState + ':' + r.track.muted) : null })`,
      );
      throw new Error(`no remote frame on the joining page: ${JSON.stringify(state)}`, { cause: error });
    });
  const [ms, at] = await page.evaluate(
    '[window.conferCall.firstRemoteFrameMs, window.conferCall.firstRemoteFrameAt]',
  );
  joinToFrame.push(ms);
  navigationToFrame.push(at);
  await page.evaluate('window.conferCall.leave()');
  await page.close();
}

const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
};
console.log(
  JSON.stringify({
    bench: 'browser-first-frame',
    iterations: ITERATIONS,
    joinToFirstFrameMs: { p50: pct(joinToFrame, 50), p90: pct(joinToFrame, 90), max: pct(joinToFrame, 100) },
    navigationToFirstFrameMs: { p50: pct(navigationToFrame, 50), p90: pct(navigationToFrame, 90) },
    targetP50Ms: 300,
    met: pct(joinToFrame, 50) < 300,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  }),
);

await context.close();
gateway.close();
media.kill('SIGTERM');
await rooms.stop();
await auth.stop();
process.exit(0);
