// Video consumers per mediasoup worker core (issue #6). Target: at least 500 video
// consumers per worker core at a realistic bitrate with packet loss under 1%.
//
// One mediasoup worker (the binary the media service runs) and one router with the media
// service's codecs. Synthetic publishers (ffmpeg: VP8 720p30 at BENCH_BITRATE plus an
// opus tone) send plain RTP into PlainTransport producers (comedia). Consumers are added
// in steps, each on its own PlainTransport (SRTP-encrypted, like a WebRTC transport, unless
// BENCH_SRTP=0) sending to a receiver process that counts packets per SSRC and the
// sequence numbers that never arrived. At each step, over BENCH_STEP_SECONDS: the worker's
// CPU time (getResourceUsage, user + system) over wall time, the receivers' loss and the
// bitrate delivered. The ramp stops at the first step whose loss exceeds BENCH_MAX_LOSS (1%)
// or whose worker CPU reaches BENCH_MAX_CPU (0.95) of one core. Loss is end to end (what
// the receivers miss), or with BENCH_LOSS_BASIS=forwarding only what the worker lost
// between its producers and the receivers (ffmpeg does not retransmit what the worker's
// own socket dropped on the way in).
//
// BENCH_PIPED=1 puts the consumers on a second worker (a second "node"), the producers
// piped to it over PipeTransports on loopback the way a room spanning two media nodes does
// (apps/media/src/span): workerCpu is then the consuming worker's, and originCpu the
// producing one's. Compare with a run without it: a spanned room should carry as many
// consumers per core, within 10%.
//
// consumersPerCore = consumers / workerCpu at the last step within the loss limit
// (workerCpu in cores, so 300 consumers at 0.5 core is 600 per core). docs/benchmarks.md
// explains the method and its limits.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSyntheticPublisher, syntheticClip, assertFfmpeg } from './support/synthetic-publisher.mjs';
import { startRtpReceiver } from './support/rtp-receiver.mjs';
import { workerBin } from './support/mediasoup-worker-bin.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const STEPS = (process.env.BENCH_STEPS ?? '100,200,300,400,500,600,700,800,1000,1200,1500')
  .split(',')
  .map(Number);
const BITRATE = parseBitrate(process.env.BENCH_BITRATE ?? '800k');
const PUBLISHERS = Number(process.env.BENCH_PUBLISHERS ?? 1);
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const MAX_LOSS = Number(process.env.BENCH_MAX_LOSS ?? 0.01);
const MAX_CPU = Number(process.env.BENCH_MAX_CPU ?? 0.95);
const SRTP = process.env.BENCH_SRTP !== '0';
const CONSUME_AUDIO = process.env.BENCH_AUDIO === '1';
const SOURCE = process.env.BENCH_SOURCE ?? 'loop';
const RECEIVER_SOCKETS = Number(process.env.BENCH_RECEIVER_SOCKETS ?? 16);
const RTC_MIN_PORT = Number(process.env.BENCH_RTC_MIN_PORT ?? 50000);
const RTC_MAX_PORT = Number(process.env.BENCH_RTC_MAX_PORT ?? 59999);
const LOSS_BASIS = process.env.BENCH_LOSS_BASIS ?? 'end-to-end';
// What mediasoup's DTLS prefers, and Chrome agrees to: the suite a browser's consumers use.
const SRTP_SUITE = process.env.BENCH_SRTP_SUITE ?? 'AEAD_AES_256_GCM';
const PIPED = process.env.BENCH_PIPED === '1';
const SRTP_KEY_BYTES = { AEAD_AES_256_GCM: 44, AEAD_AES_128_GCM: 28 }[SRTP_SUITE] ?? 30;
if (!['end-to-end', 'forwarding'].includes(LOSS_BASIS))
  throw new Error('BENCH_LOSS_BASIS: end-to-end or forwarding');

function parseBitrate(text) {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (!m) throw new Error(`BENCH_BITRATE: not a bitrate: ${text}`);
  return Math.round(Number(m[1]) * ({ k: 1e3, m: 1e6 }[m[2].toLowerCase()] ?? 1));
}

// The codecs every room's router is created with, from the media service's own build
// (`npx nx build media`), so that the bench measures what the service offers.
const { MEDIA_CODECS } = createRequire(import.meta.url)(join(root, 'apps/media/dist/rooms/media-codecs.js'));

const log = (message) => process.stderr.write(`[media-consumers] ${message}\n`);
const round = (x, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

assertFfmpeg();
process.env.MEDIASOUP_WORKER_BIN = workerBin();
const mediasoup = await import('mediasoup');
const worker = await mediasoup.createWorker({
  logLevel: 'warn',
  rtcMinPort: RTC_MIN_PORT,
  rtcMaxPort: RTC_MAX_PORT,
});
worker.on('died', (error) => {
  log(`the worker died: ${error}`);
  process.exit(1);
});
const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS });
// The worker and router the consumers are on: the same, or a second one fed through a pipe.
const consumerWorker = PIPED
  ? await mediasoup.createWorker({ logLevel: 'warn', rtcMinPort: RTC_MIN_PORT, rtcMaxPort: RTC_MAX_PORT })
  : worker;
const consumerRouter = PIPED ? await consumerWorker.createRouter({ mediaCodecs: MEDIA_CODECS }) : router;

/** Both ends of a pipe between the two routers, as two media nodes connect theirs. */
async function pipeBetweenRouters() {
  const options = { listenIp: { ip: '127.0.0.1' }, enableRtx: true };
  const out = await router.createPipeTransport(options);
  const into = await consumerRouter.createPipeTransport(options);
  await out.connect({ ip: '127.0.0.1', port: into.tuple.localPort });
  await into.connect({ ip: '127.0.0.1', port: out.tuple.localPort });
  return async (producer) => {
    const pipeConsumer = await out.consume({ producerId: producer.id });
    return into.produce({
      id: producer.id,
      kind: pipeConsumer.kind,
      rtpParameters: pipeConsumer.rtpParameters,
      paused: pipeConsumer.producerPaused,
    });
  };
}
const pipe = PIPED ? await pipeBetweenRouters() : null;
const receiver = await startRtpReceiver({ sockets: RECEIVER_SOCKETS, recvBufferBytes: 4 << 20 });

// Encode the clip before anything is measured (the first run takes a few seconds).
if (SOURCE === 'loop') syntheticClip({ videoBitrate: BITRATE });

/** One synthetic peer sending video and audio into two comedia PlainTransports. */
async function startPublisher() {
  const listenIp = { ip: '127.0.0.1' };
  // ffmpeg sends RTCP from a socket of its own: comedia learns each from its first packet.
  const videoTransport = await router.createPlainTransport({ listenIp, rtcpMux: false, comedia: true });
  const audioTransport = await router.createPlainTransport({ listenIp, rtcpMux: false, comedia: true });
  const ffmpeg = await startSyntheticPublisher({
    source: SOURCE,
    videoBitrate: BITRATE,
    video: { port: videoTransport.tuple.localPort, rtcpPort: videoTransport.rtcpTuple.localPort },
    audio: { port: audioTransport.tuple.localPort, rtcpPort: audioTransport.rtcpTuple.localPort },
  });
  const video = await videoTransport.produce({ kind: 'video', rtpParameters: ffmpeg.video.rtpParameters });
  const audio = await audioTransport.produce({ kind: 'audio', rtpParameters: ffmpeg.audio.rtpParameters });
  if (!pipe) return { ffmpeg, video, audio, sourceVideo: video };
  return { ffmpeg, video: await pipe(video), audio: await pipe(audio), sourceVideo: video };
}

const publishers = [];
for (let i = 0; i < PUBLISHERS; i++) publishers.push(await startPublisher());

/** ssrc of every consumer sending to the receiver, video and audio apart. */
const videoSsrcs = new Set();
const audioSsrcs = new Set();
let consumerCount = 0;

async function consumeOnNewTransport(producer, port) {
  const transport = await consumerRouter.createPlainTransport({
    listenIp: { ip: '127.0.0.1' },
    rtcpMux: true,
    comedia: false,
    enableSrtp: SRTP,
    srtpCryptoSuite: SRTP_SUITE,
  });
  await transport.connect({
    ip: receiver.host,
    port,
    // The receiver never sends, so its key only has to be well formed.
    ...(SRTP
      ? {
          srtpParameters: {
            cryptoSuite: SRTP_SUITE,
            keyBase64: randomBytes(SRTP_KEY_BYTES).toString('base64'),
          },
        }
      : {}),
  });
  // The router's own capabilities stand in for a browser's: VP8 with NACK, PLI and FIR.
  const consumer = await transport.consume({
    producerId: producer.id,
    rtpCapabilities: consumerRouter.rtpCapabilities,
  });
  return consumer.rtpParameters.encodings[0].ssrc;
}

async function addSubscriber() {
  const index = consumerCount++;
  const { video, audio } = publishers[index % publishers.length];
  const port = receiver.ports[index % receiver.ports.length];
  videoSsrcs.add(await consumeOnNewTransport(video, port));
  if (CONSUME_AUDIO) audioSsrcs.add(await consumeOnNewTransport(audio, port));
}

async function rampTo(target) {
  const batch = [];
  while (consumerCount < target) {
    batch.push(addSubscriber());
    if (batch.length === 25) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
}

const cpuMs = (usage) => usage.ru_utime + usage.ru_stime;

/** The machine's UDP receive-buffer overflows (every process's, not only ours): a diagnostic. */
function udpRcvbufErrors() {
  try {
    const [names, values] = readFileSync('/proc/net/snmp', 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('Udp:'))
      .map((l) => l.split(/\s+/));
    return Number(values[names.indexOf('RcvbufErrors')]);
  } catch {
    return NaN;
  }
}

async function producerPackets() {
  let packets = 0;
  let lost = 0;
  for (const { sourceVideo } of publishers) {
    for (const s of await sourceVideo.getStats()) {
      packets += s.packetCount;
      lost += s.packetsLost;
    }
  }
  return { packets, lost };
}

/** Receiver totals over a window, for the given ssrcs; a stream that got nothing counts as all lost. */
function windowLoss(before, after, ssrcs) {
  let expected = 0;
  let received = 0;
  let lost = 0;
  let bytes = 0;
  const silent = [];
  const perStream = [];
  for (const ssrc of ssrcs) {
    const a = after.get(ssrc);
    const b = before.get(ssrc) ?? { received: 0, bytes: 0, expected: 0 };
    const dReceived = (a?.received ?? 0) - b.received;
    if (!a || dReceived === 0) {
      silent.push(ssrc);
      continue;
    }
    const dExpected = a.expected - b.expected;
    expected += dExpected;
    received += dReceived;
    lost += Math.max(0, dExpected - dReceived);
    bytes += a.bytes - b.bytes;
    perStream.push(dExpected);
  }
  // A silent stream should have carried as much as a typical one.
  perStream.sort((x, y) => x - y);
  const typical = perStream[Math.floor(perStream.length / 2)] ?? 0;
  expected += typical * silent.length;
  lost += typical * silent.length;
  return { expected, received, lost, bytes, silent: silent.length };
}

const lossOf = (step) => (LOSS_BASIS === 'forwarding' ? step.forwardingLoss : step.loss);
const steps = [];
let stoppedBy = 'steps';
const started = Date.now();
try {
  for (const target of STEPS) {
    await rampTo(target);
    await sleep(WARMUP_SECONDS * 1000);
    const p0 = await producerPackets();
    const e0 = udpRcvbufErrors();
    const r0 = await receiver.snapshot();
    const u0 = await consumerWorker.getResourceUsage();
    const o0 = PIPED ? await worker.getResourceUsage() : null;
    const t0 = performance.now();
    const load0 = loadavg()[0];
    await sleep(STEP_SECONDS * 1000);
    const u1 = await consumerWorker.getResourceUsage();
    const o1 = PIPED ? await worker.getResourceUsage() : null;
    const t1 = performance.now();
    const r1 = await receiver.snapshot();
    const e1 = udpRcvbufErrors();
    const p1 = await producerPackets();
    const seconds = (t1 - t0) / 1000;

    const video = windowLoss(r0.streams, r1.streams, videoSsrcs);
    const loss = video.expected ? video.lost / video.expected : 1;
    // What the producers never got (ffmpeg does not retransmit) reaches no consumer either;
    // the rest of the loss happened between the producer and the receivers.
    const publisherLoss = (p1.lost - p0.lost) / Math.max(1, p1.packets - p0.packets + p1.lost - p0.lost);
    const step = {
      consumers: videoSsrcs.size,
      audioConsumers: audioSsrcs.size,
      workerCpu: round((cpuMs(u1) - cpuMs(u0)) / (t1 - t0)),
      ...(PIPED ? { originCpu: round((cpuMs(o1) - cpuMs(o0)) / (t1 - t0)) } : {}),
      // The kernel's share: on loopback a send also runs the receiving side's network stack.
      workerSystemCpu: round((u1.ru_stime - u0.ru_stime) / (t1 - t0)),
      loss: round(loss, 5),
      publisherLoss: round(publisherLoss, 5),
      forwardingLoss: round(Math.max(0, 1 - (1 - loss) / (1 - publisherLoss)), 5),
      silentConsumers: video.silent,
      deliveredMbps: round((video.bytes * 8) / seconds / 1e6, 1),
      perConsumerKbps: round(
        (video.bytes * 8) / seconds / 1e3 / Math.max(1, videoSsrcs.size - video.silent),
        0,
      ),
      packetsPerSecond: Math.round(video.received / seconds),
      receiverCpu: round((r1.cpuMs - r0.cpuMs) / (t1 - t0)),
      udpRcvbufErrors: e1 - e0,
      loadAverage: round((load0 + loadavg()[0]) / 2, 2),
    };
    if (CONSUME_AUDIO) {
      const audio = windowLoss(r0.streams, r1.streams, audioSsrcs);
      step.audioLoss = round(audio.expected ? audio.lost / audio.expected : 1, 5);
    }
    steps.push(step);
    log(JSON.stringify(step));
    if (lossOf(step) > MAX_LOSS) {
      stoppedBy = 'loss';
      break;
    }
    if (step.workerCpu >= MAX_CPU) {
      stoppedBy = 'cpu';
      break;
    }
  }
} finally {
  await Promise.all(publishers.map((p) => p.ffmpeg.stop()));
  worker.close();
  if (PIPED) consumerWorker.close();
  await receiver.stop();
}

const good = steps.filter((s) => lossOf(s) <= MAX_LOSS);
const best = good.at(-1);
// The slope of worker CPU over consumers (least squares over the steps under the loss
// limit): the cost of one more consumer, without the publishers' fixed share.
function marginalConsumersPerCore() {
  if (good.length < 2) return null;
  const n = good.length;
  const mx = good.reduce((a, s) => a + s.consumers, 0) / n;
  const my = good.reduce((a, s) => a + s.workerCpu, 0) / n;
  const sxy = good.reduce((a, s) => a + (s.consumers - mx) * (s.workerCpu - my), 0);
  const sxx = good.reduce((a, s) => a + (s.consumers - mx) ** 2, 0);
  return sxy > 0 ? Math.round(sxx / sxy) : null;
}
console.log(
  JSON.stringify({
    bench: 'media-consumers',
    consumersPerCore: best ? Math.round(best.consumers / best.workerCpu) : 0,
    atConsumers: best?.consumers ?? 0,
    atWorkerCpu: best?.workerCpu ?? 0,
    marginalConsumersPerCore: marginalConsumersPerCore(),
    lossBasis: LOSS_BASIS,
    maxLoss: MAX_LOSS,
    stoppedBy,
    publishers: PUBLISHERS,
    piped: PIPED,
    bitrate: BITRATE,
    srtp: SRTP && SRTP_SUITE,
    audio: CONSUME_AUDIO,
    source: SOURCE,
    stepSeconds: STEP_SECONDS,
    seconds: Math.round((Date.now() - started) / 1000),
    target: 500,
    met: best ? best.consumers / best.workerCpu >= 500 : false,
    steps,
  }),
);
