// Placement of new rooms on media nodes, with 50 nodes announcing their load over NATS.
//
// 50 simulated media nodes (5 server groups, a few draining) publish MediaNodeLoad
// announcements every BENCH_INTERVAL_MS on the real NATS; the rooms service's own placement
// code (registry + policy, from apps/rooms/dist) hears them through a real subscription and
// validates each against the contract, while this process makes placement decisions as fast
// as it can for BENCH_SECONDS. Each decision is timed alone. Then 5 nodes stop reporting, and
// the bench measures how long until placement stops choosing them (target: within 5 s).
//
//   npx nx build rooms && node bench/media-placement.bench.mjs
import { connect } from 'nats';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { MediaNodeLoad, parseWith } = require(join(root, 'libs/contracts/dist/index.js'));
const { MediaNodeRegistry } = require(
  join(root, 'apps/rooms/dist/media-servers/placement/media-node-registry.js'),
);
const { chooseNodeForRoom } = require(
  join(root, 'apps/rooms/dist/media-servers/placement/placement-policy.js'),
);

const NODES = Number(process.env.BENCH_NODES ?? 50);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS ?? 1000);
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const nodes = Array.from({ length: NODES }, (_, i) => ({
  nodeId: `bench-node-${i}`,
  serverGroup: `serv${i % GROUPS}`,
  url: `https://media-${i}.bench.invalid`,
  state: i % 17 === 16 ? 'draining' : 'active',
  workers: 8,
  maxConsumers: 4000,
  silent: false,
}));

function reportOf(node) {
  const consumers = Math.floor(Math.random() * 3000);
  return {
    nodeId: node.nodeId,
    serverGroup: node.serverGroup,
    url: node.url,
    state: node.state,
    reportedAt: new Date().toISOString(),
    intervalMs: INTERVAL_MS,
    workers: node.workers,
    rooms: Math.floor(consumers / 40),
    peers: Math.floor(consumers / 6),
    transports: Math.floor(consumers / 3),
    producers: Math.floor(consumers / 10),
    consumers,
    cpu: Math.min(1, consumers / 4000 + Math.random() * 0.1),
    maxConsumers: node.maxConsumers,
  };
}

const announcer = await connect({ servers: natsUrl, name: 'bench-media-nodes' });
const listener = await connect({ servers: natsUrl, name: 'bench-rooms-placement' });
const registry = new MediaNodeRegistry();
let reportsHeard = 0;
listener.subscribe(MediaNodeLoad.subject, {
  callback: (_err, msg) => {
    registry.record(parseWith(MediaNodeLoad.schema, JSON.parse(decoder.decode(msg.data)), 'report'));
    reportsHeard += 1;
  },
});
await listener.flush();

// Each node reports on its own phase of the interval, as real nodes started at different times do.
const timers = nodes.map((node, i) =>
  setTimeout(
    () => {
      const send = () =>
        node.silent ||
        announcer.publish(MediaNodeLoad.subject, encoder.encode(JSON.stringify(reportOf(node))));
      send();
      node.timer = setInterval(send, INTERVAL_MS);
    },
    Math.floor((i / NODES) * INTERVAL_MS),
  ),
);
await new Promise((r) => setTimeout(r, INTERVAL_MS + 200));

const yieldToNats = () => new Promise((r) => setImmediate(r));
const samples = [];
const placedOn = new Map();
const end = Date.now() + SECONDS * 1000;
let decisions = 0;
while (Date.now() < end) {
  // Let announcements in between bursts, as a service's event loop would.
  for (let i = 0; i < 200; i += 1) {
    const group = `serv${decisions % GROUPS}`;
    const start = process.hrtime.bigint();
    const choice = chooseNodeForRoom(registry.live(), group);
    if (choice) registry.notePlaced(choice.node.nodeId);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (!choice) throw new Error('no node chosen');
    placedOn.set(choice.node.nodeId, (placedOn.get(choice.node.nodeId) ?? 0) + 1);
    decisions += 1;
  }
  await yieldToNats();
}

// Five nodes die: how long until placement stops choosing them?
const dead = nodes.filter((n) => n.state === 'active').slice(0, 5);
for (const node of dead) node.silent = true;
const diedAt = Date.now();
let goneAfterMs;
while (Date.now() - diedAt < 10_000) {
  const live = new Set(registry.live().map((n) => n.report.nodeId));
  if (dead.every((n) => !live.has(n.nodeId))) {
    goneAfterMs = Date.now() - diedAt;
    break;
  }
  await new Promise((r) => setTimeout(r, 10));
}

for (const node of nodes) clearInterval(node.timer);
for (const t of timers) clearTimeout(t);
await announcer.close();
await listener.close();

samples.sort((a, b) => a - b);
const q = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
const drainingChosen = nodes
  .filter((n) => n.state === 'draining')
  .reduce((sum, n) => sum + (placedOn.get(n.nodeId) ?? 0), 0);
console.log(
  JSON.stringify({
    bench: 'media-placement',
    nodes: NODES,
    groups: GROUPS,
    reportIntervalMs: INTERVAL_MS,
    decisions,
    reportsHeard,
    p50Ms: +q(0.5).toFixed(4),
    p99Ms: +q(0.99).toFixed(4),
    maxMs: +samples[samples.length - 1].toFixed(3),
    drainingNodesChosen: drainingChosen,
    deadNodesLeftPlacementAfterMs: goneAfterMs ?? null,
    loadAverage: (await import('node:os')).loadavg().map((l) => +l.toFixed(2)),
    target: 'p99 < 5 ms with 50 nodes; dead nodes out within 5 s',
  }),
);
