// Latency a room spanning two media nodes adds (issue #9). Target: under 5 ms through the
// pipe on loopback.
//
// Two mediasoup workers (two "nodes", each its own process, the binary the media service
// runs), each with a router with the media service's codecs, joined by PipeTransports over
// loopback the way apps/media/src/span connects nodes (RTX and NACK on). This process sends
// RTP (opus payload type, BENCH_PPS packets a second, each carrying its own number) into a
// PlainTransport producer on the first router. Two plain consumers of it send to two UDP
// sockets of this process: one on the same router (a peer on the producer's node), one on
// the second router through the pipe (a peer on the other node). The same packet's arrival
// on both sockets is matched by its number: the difference is what the pipe adds (one more
// worker and one more UDP hop), free of the sender's and this process's own delays, which
// both paths share.
import { createRequire } from 'node:module';
import { createSocket } from 'node:dgram';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { workerBin } from './support/mediasoup-worker-bin.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const PPS = Number(process.env.BENCH_PPS ?? 500);
const PAYLOAD_BYTES = Number(process.env.BENCH_PAYLOAD_BYTES ?? 1000);
const TARGET_MS = 5;

const { MEDIA_CODECS } = createRequire(import.meta.url)(join(root, 'apps/media/dist/rooms/media-codecs.js'));
const log = (message) => process.stderr.write(`[media-pipe-latency] ${message}\n`);
const round = (x, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

process.env.MEDIASOUP_WORKER_BIN = workerBin();
const mediasoup = await import('mediasoup');
const workers = [];
for (let i = 0; i < 2; i++) {
  const worker = await mediasoup.createWorker({ logLevel: 'warn', rtcMinPort: 50000, rtcMaxPort: 59999 });
  worker.on('died', (error) => {
    log(`a worker died: ${error}`);
    process.exit(1);
  });
  workers.push(worker);
}
const [origin, other] = await Promise.all(workers.map((w) => w.createRouter({ mediaCodecs: MEDIA_CODECS })));

// The producer: plain RTP from this process.
const SSRC = 0x5eed0001;
const ingest = await origin.createPlainTransport({
  listenIp: { ip: '127.0.0.1' },
  rtcpMux: true,
  comedia: true,
});
const producer = await ingest.produce({
  kind: 'audio',
  rtpParameters: {
    codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
    encodings: [{ ssrc: SSRC }],
  },
});

// The pipe, as two nodes set theirs up.
const pipeOptions = { listenIp: { ip: '127.0.0.1' }, enableRtx: true };
const out = await origin.createPipeTransport(pipeOptions);
const into = await other.createPipeTransport(pipeOptions);
await out.connect({ ip: '127.0.0.1', port: into.tuple.localPort });
await into.connect({ ip: '127.0.0.1', port: out.tuple.localPort });
const pipeConsumer = await out.consume({ producerId: producer.id });
const piped = await into.produce({
  id: producer.id,
  kind: pipeConsumer.kind,
  rtpParameters: pipeConsumer.rtpParameters,
  paused: pipeConsumer.producerPaused,
});

/** A subscriber on a router: a plain consumer sending to a socket that stamps arrivals by packet number. */
async function subscriber(router, producerId) {
  const arrivals = new Map();
  const socket = createSocket('udp4');
  socket.on('message', (packet) => {
    // RTP header: 12 bytes (no CSRC, no extensions for plain consumers of plain producers).
    const offset =
      12 +
      (packet[0] & 0x0f) * 4 +
      (packet[0] & 0x10 ? 4 + packet.readUInt16BE(14 + (packet[0] & 0x0f) * 4) * 4 : 0);
    if (packet.length >= offset + 4) arrivals.set(packet.readUInt32BE(offset), performance.now());
  });
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const transport = await router.createPlainTransport({
    listenIp: { ip: '127.0.0.1' },
    rtcpMux: true,
    comedia: false,
  });
  await transport.connect({ ip: '127.0.0.1', port: socket.address().port });
  await transport.consume({ producerId, rtpCapabilities: router.rtpCapabilities });
  return { arrivals, close: () => socket.close() };
}
const direct = await subscriber(origin, producer.id);
const throughPipe = await subscriber(other, piped.id);

// Send: numbered packets at a steady rate.
const sender = createSocket('udp4');
await new Promise((resolve) => sender.bind(0, '127.0.0.1', resolve));
const packet = Buffer.alloc(12 + PAYLOAD_BYTES);
packet[0] = 0x80;
packet[1] = 111;
packet.writeUInt32BE(SSRC, 8);
const total = Math.round(SECONDS * PPS);
const started = performance.now();
const load0 = loadavg()[0];
for (let n = 0; n < total; n++) {
  packet.writeUInt16BE(n & 0xffff, 2);
  packet.writeUInt32BE((n * 960) >>> 0, 4);
  packet.writeUInt32BE(n, 12);
  sender.send(packet, ingest.tuple.localPort, '127.0.0.1');
  const due = started + ((n + 1) * 1000) / PPS;
  const wait = due - performance.now();
  if (wait > 1) await sleep(wait);
}
await sleep(500);

const added = [];
let missingDirect = 0;
let missingPipe = 0;
for (let n = 0; n < total; n++) {
  const a = direct.arrivals.get(n);
  const b = throughPipe.arrivals.get(n);
  if (a === undefined) missingDirect++;
  if (b === undefined) missingPipe++;
  if (a !== undefined && b !== undefined) added.push(b - a);
}
added.sort((x, y) => x - y);
const at = (q) => added[Math.min(added.length - 1, Math.floor(q * added.length))] ?? NaN;
direct.close();
throughPipe.close();
sender.close();
for (const worker of workers) worker.close();

const p99 = at(0.99);
console.log(
  JSON.stringify({
    bench: 'media-pipe-latency',
    packets: total,
    packetsPerSecond: PPS,
    payloadBytes: PAYLOAD_BYTES,
    matched: added.length,
    missingDirect,
    missingThroughPipe: missingPipe,
    addedMs: { p50: round(at(0.5)), p90: round(at(0.9)), p99: round(p99), max: round(added.at(-1) ?? NaN) },
    loadAverage: round((load0 + loadavg()[0]) / 2, 2),
    targetMs: TARGET_MS,
    met: p99 < TARGET_MS,
  }),
);
