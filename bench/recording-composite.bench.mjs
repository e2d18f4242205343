// Room composite recordings at real-time speed, with the rooms on the same machine (issue
// #8). Target: at least 2 concurrent 720p30 composite recordings of 4-peer rooms at
// real-time speed on the 2-core machine, each under one core.
//
// For N = 1, 2, 3, … (BENCH_STEPS), from scratch each time:
// - N rooms, each a mediasoup router (the media service's codecs, on BENCH_MEDIA_WORKERS
//   in-process workers, one per core like the service) with 4 synthetic peers producing
//   720p30 VP8 and opus into it (bench/support/synthetic-publisher.mjs, `loop` source: a
//   clip encoded once and sent without re-encoding). With BENCH_ROOM_VIEWERS=1 (default)
//   each peer also receives the other three's video and audio, SRTP-encrypted, as in a call.
// - One recording per room: apps/recording's RoomComposite (its build), all N in one Node
//   process of their own (bench/support/composite-recorder.mjs), fed over PlainTransport
//   consumers of the 4 video and 4 audio producers, as the media service's recorder
//   sessions do (the MediaFeed port implemented here against the routers).
// - Once every tile shows video, BENCH_SECONDS (60) are measured:
//   CPU per recording = its ffmpeg children's utime + stime (encoder, 4 video and 4 audio
//   decoders, read from /proc) plus its share (1/N) of the recorder process's own CPU,
//   over the wall time; the rooms' CPU (mediasoup workers, publishers, the viewers'
//   receiver) apart.
//   Real-time = for every recording, in the window: frames dropped or skipped ≤ BENCH_MAX_DROP
//   (0.5%) of those due; media written within BENCH_MAX_TIME_ERROR (1%) of wall time; the
//   encoder's output keeping pace with wall time (the completion times of its HLS segments
//   against their media times, slope within BENCH_MAX_TIME_ERROR); and every tile decoding
//   at least BENCH_MIN_TILE_FPS (29 of the sources' 30).
// The ramp stops at the first N that is not real-time. docs/benchmarks.md explains it.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { loadavg, tmpdir, cpus } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSyntheticPublisher, syntheticClip, assertFfmpeg } from './support/synthetic-publisher.mjs';
import { startRtpReceiver } from './support/rtp-receiver.mjs';
import { startCompositeRecorder } from './support/composite-recorder.mjs';
import { workerBin } from './support/mediasoup-worker-bin.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const STEPS = (process.env.BENCH_STEPS ?? '1,2,3,4,5,6').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const PEERS = Number(process.env.BENCH_PEERS ?? 4);
const PEER_SIZE = process.env.BENCH_PEER_SIZE ?? '1280x720';
const PEER_BITRATE = Number(process.env.BENCH_PEER_BITRATE ?? 800_000);
const ROOM_VIEWERS = process.env.BENCH_ROOM_VIEWERS !== '0';
const MEDIA_WORKERS = Number(process.env.BENCH_MEDIA_WORKERS ?? cpus().length);
const X264_PRESET = process.env.BENCH_X264_PRESET; // default: the composite's own
const MAX_DROP = Number(process.env.BENCH_MAX_DROP ?? 0.005);
const MAX_TIME_ERROR = Number(process.env.BENCH_MAX_TIME_ERROR ?? 0.01);
const MIN_TILE_FPS = Number(process.env.BENCH_MIN_TILE_FPS ?? 29);
const RTC_MIN_PORT = Number(process.env.BENCH_RTC_MIN_PORT ?? 50000);
const RTC_MAX_PORT = Number(process.env.BENCH_RTC_MAX_PORT ?? 59999);
const KEEP = process.env.BENCH_KEEP === '1';
const RECORDER_NODE_ARGS = (process.env.BENCH_RECORDER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const SRTP_SUITE = 'AEAD_AES_256_GCM';

const log = (message) => process.stderr.write(`[recording-composite] ${message}\n`);
const round = (x, digits = 3) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);

// From the builds (`npx nx run-many -t build`): the codecs every room's router is created
// with, the capabilities the media service's recorder sessions consume with, and the
// composite's defaults.
const requireBuilt = createRequire(import.meta.url);
const { MEDIA_CODECS } = requireBuilt(join(root, 'apps/media/dist/rooms/media-codecs.js'));
const { recorderRtpCapabilitiesOf } = requireBuilt(
  join(root, 'apps/media/dist/recorders/recorder-rtp-capabilities.js'),
);
const { defaultCompositeOptions } = requireBuilt(join(root, 'apps/recording/dist/compositor/index.js'));
const compositeOptions = {
  ...defaultCompositeOptions,
  ...(X264_PRESET ? { x264Preset: X264_PRESET } : {}),
};

// ---------------------------------------------------------------------------------------
// CPU time from /proc: clock ticks of user + system time.
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function readStat(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // f[0] is stat field 3 (state): ppid 4, utime 14, stime 15, cutime 16, cstime 17.
    return {
      comm,
      ppid: Number(f[1]),
      cpu: (Number(f[11]) + Number(f[12])) / TICKS,
      reaped: (Number(f[13]) + Number(f[14])) / TICKS,
    };
  } catch {
    return null; // exited meanwhile
  }
}

const cmdlines = new Map();
function cmdline(pid) {
  if (!cmdlines.has(pid)) {
    try {
      cmdlines.set(pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
    } catch {
      return '';
    }
  }
  return cmdlines.get(pid);
}

function childrenOf(ppid) {
  const out = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(name);
    if (s && s.ppid === ppid) out.set(Number(name), s);
  }
  return out;
}

/** The whole machine's busy and total CPU seconds so far, from /proc/stat. */
function machineCpu() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const idle = line[3] + line[4];
  const total = line.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / TICKS, total: total / TICKS };
}

/** What an ffmpeg child of the recorder does, from its arguments. */
function roleOf(command) {
  if (command.includes('libx264')) return 'encoder';
  if (command.includes('0:v:0')) return 'videoDecoder';
  if (command.includes('0:a:0')) return 'audioDecoder';
  return 'other';
}

// ---------------------------------------------------------------------------------------
// The rooms: a router each, 4 synthetic peers, optionally each peer receiving the others.

/** The recorder's side of a media server, straight on the router: what RecorderSession.consume does. */
class RouterFeed {
  constructor(router) {
    this.router = router;
    this.consumers = new Map();
    this.rtpCapabilities = recorderRtpCapabilitiesOf(router);
  }

  async consume(producerId, { ip, port, rtcpPort }) {
    if (!this.router.canConsume({ producerId, rtpCapabilities: this.rtpCapabilities }))
      throw new Error(`cannot consume ${producerId}`);
    const transport = await this.router.createPlainTransport({
      listenIp: { ip: '127.0.0.1' },
      rtcpMux: false,
      comedia: false,
    });
    let consumer;
    try {
      await transport.connect({ ip, port, rtcpPort });
      // Paused until set up, so that it starts on a key frame.
      consumer = await transport.consume({ producerId, rtpCapabilities: this.rtpCapabilities, paused: true });
      await consumer.resume();
    } catch (error) {
      transport.close();
      throw error;
    }
    this.consumers.set(consumer.id, { consumer, transport });
    consumer.observer.once('close', () => transport.close());
    const codec = consumer.rtpParameters.codecs[0];
    const parameters = {};
    for (const [k, v] of Object.entries(codec.parameters ?? {}))
      if (typeof v === 'string' || typeof v === 'number') parameters[k] = v;
    return {
      consumerId: consumer.id,
      kind: consumer.kind,
      mimeType: codec.mimeType,
      payloadType: codec.payloadType,
      clockRate: codec.clockRate,
      ...(codec.channels ? { channels: codec.channels } : {}),
      ssrc: consumer.rtpParameters.encodings?.[0]?.ssrc ?? 0,
      parameters,
    };
  }

  async requestKeyFrame(consumerId) {
    await this.consumers.get(consumerId)?.consumer.requestKeyFrame();
  }

  async release(consumerId) {
    this.consumers.get(consumerId)?.transport.close();
    this.consumers.delete(consumerId);
  }
}

async function startRoom(index, worker, receiver) {
  const roomId = `room-${index + 1}`;
  const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS });
  const listenIp = { ip: '127.0.0.1' };
  const peers = [];
  for (let p = 0; p < PEERS; p++) {
    // ffmpeg sends RTCP from a socket of its own: comedia learns each from its first packet.
    const videoTransport = await router.createPlainTransport({ listenIp, rtcpMux: false, comedia: true });
    const audioTransport = await router.createPlainTransport({ listenIp, rtcpMux: false, comedia: true });
    const publisher = await startSyntheticPublisher({
      source: 'loop',
      size: PEER_SIZE,
      videoBitrate: PEER_BITRATE,
      video: { port: videoTransport.tuple.localPort, rtcpPort: videoTransport.rtcpTuple.localPort },
      audio: { port: audioTransport.tuple.localPort, rtcpPort: audioTransport.rtcpTuple.localPort },
    });
    const video = await videoTransport.produce({
      kind: 'video',
      rtpParameters: publisher.video.rtpParameters,
    });
    const audio = await audioTransport.produce({
      kind: 'audio',
      rtpParameters: publisher.audio.rtpParameters,
    });
    peers.push({ peerId: `${roomId}-peer-${p + 1}`, publisher, video, audio });
  }
  // Each peer receives the others, on one transport per peer as a browser does, encrypted.
  const viewerSsrcs = [];
  if (ROOM_VIEWERS) {
    for (const [p, viewer] of peers.entries()) {
      const transport = await router.createPlainTransport({
        listenIp,
        rtcpMux: true,
        comedia: false,
        enableSrtp: true,
        srtpCryptoSuite: SRTP_SUITE,
      });
      await transport.connect({
        ip: receiver.host,
        port: receiver.ports[(index * PEERS + p) % receiver.ports.length],
        srtpParameters: { cryptoSuite: SRTP_SUITE, keyBase64: randomBytes(44).toString('base64') },
      });
      for (const other of peers) {
        if (other === viewer) continue;
        for (const producer of [other.video, other.audio]) {
          const consumer = await transport.consume({
            producerId: producer.id,
            rtpCapabilities: router.rtpCapabilities,
          });
          if (producer.kind === 'video') viewerSsrcs.push(consumer.rtpParameters.encodings[0].ssrc);
        }
      }
    }
  }
  const roster = {
    sessionId: `bench-${roomId}`,
    seq: 1,
    open: true,
    peers: peers.map((peer, p) => ({
      peerId: peer.peerId,
      displayName: `Peer ${p + 1}`,
      role: 'participant',
      producers: [
        { producerId: peer.video.id, kind: 'video', source: 'camera', paused: false },
        { producerId: peer.audio.id, kind: 'audio', source: 'microphone', paused: false },
      ],
    })),
  };
  return {
    roomId,
    router,
    peers,
    roster,
    feed: new RouterFeed(router),
    viewerSsrcs,
    async close() {
      router.close();
      await Promise.all(peers.map((peer) => peer.publisher.stop()));
    },
  };
}

// ---------------------------------------------------------------------------------------

/** How far the encoder's output keeps pace: its HLS segments' completion times against their media times. */
function encoderPace(partDir, fromMs, toMs) {
  let text;
  try {
    text = readFileSync(join(partDir, 'index.m3u8'), 'utf8');
  } catch {
    return null;
  }
  let mediaEnd = 0;
  let duration = null;
  const points = [];
  for (const line of text.split('\n')) {
    const m = /^#EXTINF:([\d.]+)/.exec(line);
    if (m) duration = Number(m[1]);
    else if (duration !== null && line.trim() && !line.startsWith('#')) {
      mediaEnd += duration;
      duration = null;
      try {
        const at = statSync(join(partDir, line.trim())).mtimeMs;
        if (at >= fromMs && at <= toMs) points.push([mediaEnd, at / 1000]);
      } catch {
        // not there (any more)
      }
    }
  }
  if (points.length < 3) return null;
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  // Wall seconds per media second; its inverse is the encoder's speed.
  const slope = sxy / sxx;
  return {
    segments: n,
    speed: 1 / slope,
    lastSegmentMediaEnd: points[n - 1][0],
    lastSegmentAt: points[n - 1][1],
  };
}

function probeDuration(file) {
  try {
    const out = execFileSync(
      'ffprobe',
      ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', file],
      { encoding: 'utf8' },
    );
    return Number(out.trim());
  } catch {
    return NaN;
  }
}

async function workersCpuMs(workers) {
  let ms = 0;
  for (const w of workers) {
    const u = await w.getResourceUsage();
    ms += u.ru_utime + u.ru_stime;
  }
  return ms;
}

/** The recorder process and its children, the publishers, the rooms' processes: CPU seconds so far. */
async function snapshot({ recorder, rooms, workers, receiver, stepDir }) {
  const rec = readStat(recorder.pid);
  const children = childrenOf(recorder.pid);
  const perRoom = new Map(
    rooms.map((r) => [r.roomId, { encoder: 0, videoDecoder: 0, audioDecoder: 0, other: 0 }]),
  );
  const pids = new Map();
  let childrenCpu = 0;
  for (const [pid, s] of children) {
    childrenCpu += s.cpu;
    const command = cmdline(pid);
    const room = rooms.find((r) => command.includes(`${stepDir}/${r.roomId}/`));
    pids.set(pid, { roomId: room?.roomId, role: roleOf(command), cpu: s.cpu });
  }
  let publishers = 0;
  for (const room of rooms)
    for (const peer of room.peers) publishers += readStat(peer.publisher.pid)?.cpu ?? 0;
  const main = process.cpuUsage();
  const received = receiver ? await receiver.snapshot() : { cpuMs: 0, streams: new Map() };
  return {
    wall: performance.now(),
    epochMs: Date.now(),
    recorderNode: rec?.cpu ?? 0,
    // Children reaped so far plus those alive: every child's CPU, exited ones included.
    recorderChildren: (rec?.reaped ?? 0) + childrenCpu,
    pids,
    perRoom,
    publishers,
    workersMs: await workersCpuMs(workers),
    receiverMs: received.cpuMs,
    receiverStreams: received.streams,
    benchNode: (main.user + main.system) / 1e6,
    machine: machineCpu(),
    load: loadavg()[0],
  };
}

function viewerLoss(before, after, ssrcs) {
  let expected = 0;
  let received = 0;
  for (const ssrc of ssrcs) {
    const a = after.get(ssrc);
    const b = before.get(ssrc) ?? { received: 0, expected: 0 };
    if (!a) continue;
    expected += a.expected - b.expected;
    received += a.received - b.received;
  }
  return expected ? Math.max(0, expected - received) / expected : null;
}

async function runStep(n, workers, receiver) {
  const stepDir = await mkdtemp(join(tmpdir(), 'confer-recording-bench-'));
  const rooms = [];
  let recorder = null;
  const warnings = [];
  try {
    for (let i = 0; i < n; i++)
      rooms.push(await startRoom(i, workers[i % workers.length], ROOM_VIEWERS ? receiver : null));
    recorder = await startCompositeRecorder({
      feeds: new Map(rooms.map((r) => [r.roomId, r.feed])),
      nodeArgs: RECORDER_NODE_ARGS,
      onWarning: (roomId, message) => {
        warnings.push(`${roomId}: ${message}`);
        if (warnings.length <= 20) log(`warning ${roomId}: ${message}`);
      },
    });
    const specs = [];
    for (const r of rooms) {
      const dir = join(stepDir, r.roomId);
      await mkdir(join(dir, 'scratch'), { recursive: true });
      specs.push({
        roomId: r.roomId,
        roster: r.roster,
        partDir: join(dir, 'part-1'),
        workDir: join(dir, 'scratch'),
      });
    }
    const started = await recorder.start(specs, compositeOptions);
    const startedAt = new Map(started.map((s) => [s.roomId, s.startedAt]));

    // Every tile decoding, then a few seconds more.
    const liveDeadline = Date.now() + 30_000;
    for (;;) {
      const { rooms: st } = await recorder.stats();
      const live = st.reduce((a, r) => a + r.videos.filter((v) => v.live).length, 0);
      if (live >= n * PEERS) break;
      if (Date.now() > liveDeadline) {
        log(`only ${live} of ${n * PEERS} tiles show video after 30 s; measuring anyway`);
        break;
      }
      await sleep(200);
    }
    await sleep(WARMUP_SECONDS * 1000);

    const ctx = { recorder, rooms, workers, receiver: ROOM_VIEWERS ? receiver : null, stepDir };
    const s0 = await recorder.stats(true);
    const c0 = await snapshot(ctx);
    await sleep(SECONDS * 1000);
    const c1 = await snapshot(ctx);
    const s1 = await recorder.stats();
    const seconds = (c1.wall - c0.wall) / 1000;

    // Per recording: its ffmpeg children alive at both ends, by role.
    for (const [pid, after] of c1.pids) {
      if (!after.roomId) continue;
      const before = c0.pids.get(pid)?.cpu ?? 0;
      c1.perRoom.get(after.roomId)[after.role] += after.cpu - before;
    }
    const recorderNode = c1.recorderNode - c0.recorderNode;
    const recorderChildren = c1.recorderChildren - c0.recorderChildren;
    const attributed = [...c1.perRoom.values()].reduce(
      (a, r) => a + r.encoder + r.videoDecoder + r.audioDecoder + r.other,
      0,
    );

    const finishedAt = Date.now();
    const finished = await recorder.finish();
    const recordings = rooms.map((room) => {
      const a = s0.rooms.find((r) => r.roomId === room.roomId);
      const b = s1.rooms.find((r) => r.roomId === room.roomId);
      const cpu = c1.perRoom.get(room.roomId);
      const due = b.frames - a.frames + (b.framesSkipped - a.framesSkipped);
      const lost = b.framesDropped - a.framesDropped + (b.framesSkipped - a.framesSkipped);
      const written = b.seconds - a.seconds;
      const fps = b.videos.map((v) => {
        const v0 = a.videos.find((x) => x.producerId === v.producerId);
        return (v.framesDecoded - (v0?.framesDecoded ?? 0)) / seconds;
      });
      const pace = encoderPace(b.partDir, c0.epochMs, c1.epochMs);
      const fin = finished.find((f) => f.roomId === room.roomId);
      const mp4Seconds = fin?.part?.mp4 ? probeDuration(fin.part.mp4) : NaN;
      const wallRecorded = (finishedAt - startedAt.get(room.roomId)) / 1000;
      const ffmpegCpu = cpu.encoder + cpu.videoDecoder + cpu.audioDecoder + cpu.other;
      const r = {
        roomId: room.roomId,
        cpu: round((ffmpegCpu + recorderNode / n) / seconds),
        encoderCpu: round(cpu.encoder / seconds),
        videoDecodersCpu: round(cpu.videoDecoder / seconds),
        audioDecodersCpu: round(cpu.audioDecoder / seconds),
        nodeShareCpu: round(recorderNode / n / seconds),
        framesDue: due,
        framesDroppedOrSkipped: lost,
        writtenOverWall: round(written / seconds, 4),
        encoderSpeed: pace ? round(pace.speed, 4) : null,
        encoderLagSeconds: pace
          ? round(pace.lastSegmentAt - (startedAt.get(room.roomId) / 1000 + pace.lastSegmentMediaEnd), 2)
          : null,
        minTileFps: round(Math.min(...fps), 1),
        decoderRestarts: b.videos.reduce((x, v) => x + v.decoderStarts - 1, 0),
        mp4Seconds: round(mp4Seconds, 2),
        wallSeconds: round(wallRecorded, 2),
        mp4OverWall: round(mp4Seconds / wallRecorded, 4),
        finishMs: Math.round(fin?.finishMs ?? NaN),
        interrupted: fin?.part?.interrupted ?? null,
      };
      r.realTime =
        due > 0 &&
        lost <= MAX_DROP * due &&
        Math.abs(r.writtenOverWall - 1) <= MAX_TIME_ERROR &&
        pace !== null &&
        pace.speed >= 1 - MAX_TIME_ERROR &&
        r.minTileFps >= MIN_TILE_FPS &&
        fin?.part?.interrupted === false;
      return r;
    });

    const machine = c1.machine.busy - c0.machine.busy;
    const workersCpu = (c1.workersMs - c0.workersMs) / 1000;
    const publishersCpu = c1.publishers - c0.publishers;
    const receiverCpu = (c1.receiverMs - c0.receiverMs) / 1000;
    const benchCpu = c1.benchNode - c0.benchNode;
    const recordingsCpu = recorderNode + recorderChildren;
    const mean = (f) => recordings.reduce((a, r) => a + f(r), 0) / recordings.length;
    const step = {
      recordings: n,
      realTime: recordings.every((r) => r.realTime),
      seconds: round(seconds, 1),
      // CPU seconds per recorded second, per recording: all of the recorder process and
      // its children over N (exited children included), and the mean of the per-recording split.
      cpuPerRecording: round(recordingsCpu / n / seconds),
      encoderCpu: round(mean((r) => r.encoderCpu)),
      videoDecodersCpu: round(mean((r) => r.videoDecodersCpu)),
      audioDecodersCpu: round(mean((r) => r.audioDecodersCpu)),
      nodeCpu: round(recorderNode / seconds),
      unattributedChildrenCpu: round((recorderChildren - attributed) / seconds),
      recordingsCpu: round(recordingsCpu / seconds),
      mediasoupWorkersCpu: round(workersCpu / seconds),
      publishersCpu: round(publishersCpu / seconds),
      publisherCpuEach: round(publishersCpu / seconds / (n * PEERS), 4),
      viewersReceiverCpu: round(receiverCpu / seconds),
      benchProcessCpu: round(benchCpu / seconds),
      machineCpu: round(machine / seconds),
      // What the machine spent beyond everything above: other people's work.
      otherCpu: round(
        (machine - recordingsCpu - workersCpu - publishersCpu - receiverCpu - benchCpu) / seconds,
      ),
      viewerLoss: ROOM_VIEWERS
        ? round(
            viewerLoss(
              c0.receiverStreams,
              c1.receiverStreams,
              rooms.flatMap((r) => r.viewerSsrcs),
            ),
            5,
          )
        : null,
      framesDroppedOrSkipped: recordings.reduce((a, r) => a + r.framesDroppedOrSkipped, 0),
      minWrittenOverWall: round(Math.min(...recordings.map((r) => r.writtenOverWall)), 4),
      minEncoderSpeed: round(Math.min(...recordings.map((r) => r.encoderSpeed ?? 0)), 4),
      maxEncoderLagSeconds: round(Math.max(...recordings.map((r) => r.encoderLagSeconds ?? Infinity)), 2),
      minTileFps: round(Math.min(...recordings.map((r) => r.minTileFps)), 1),
      minMp4OverWall: round(Math.min(...recordings.map((r) => r.mp4OverWall)), 4),
      eventLoopDelayMs: {
        p50: round(s1.eventLoopDelayMs.p50, 1),
        p99: round(s1.eventLoopDelayMs.p99, 1),
        max: round(s1.eventLoopDelayMs.max, 1),
      },
      recorderRssMiB: Math.round(s1.rssBytes / 2 ** 20),
      warnings: warnings.length,
      loadAverage: round((c0.load + c1.load) / 2, 2),
      recordingsDetail: recordings,
    };
    return step;
  } finally {
    await recorder?.stop();
    await Promise.all(rooms.map((r) => r.close()));
    if (!KEEP) await rm(stepDir, { recursive: true, force: true });
    else log(`kept ${stepDir}`);
  }
}

// ---------------------------------------------------------------------------------------

assertFfmpeg();
const loadBefore = readFileSync('/proc/loadavg', 'utf8').trim();
log(`nproc ${cpus().length}, load average before: ${loadBefore}`);
syntheticClip({ size: PEER_SIZE, videoBitrate: PEER_BITRATE });
process.env.MEDIASOUP_WORKER_BIN = workerBin();
const mediasoup = await import('mediasoup');
const workers = [];
for (let i = 0; i < MEDIA_WORKERS; i++) {
  const worker = await mediasoup.createWorker({
    logLevel: 'warn',
    rtcMinPort: RTC_MIN_PORT,
    rtcMaxPort: RTC_MAX_PORT,
  });
  worker.on('died', (error) => {
    log(`a mediasoup worker died: ${error}`);
    process.exit(1);
  });
  workers.push(worker);
}
const receiver = ROOM_VIEWERS ? await startRtpReceiver({ sockets: 8, recvBufferBytes: 4 << 20 }) : null;

const steps = [];
const started = Date.now();
try {
  for (const n of STEPS) {
    log(`${n} recording(s) of ${PEERS}-peer rooms, ${SECONDS} s …`);
    const step = await runStep(n, workers, receiver);
    steps.push(step);
    const { recordingsDetail, ...summary } = step;
    log(JSON.stringify(summary));
    for (const r of recordingsDetail) log(`  ${JSON.stringify(r)}`);
    if (!step.realTime) break;
    await sleep(2000);
  }
} finally {
  for (const w of workers) w.close();
  await receiver?.stop();
}

const pct = (x) => (x === null || x === undefined ? '–' : `${round(x * 100, 1)}%`);
const table = [
  "| recordings | real-time | CPU s per recorded s, each | encoder | 4 video dec. | 4 audio dec. | Node share | mediasoup workers | publishers (all) | viewers' receiver | other processes | machine busy (of 2) | dropped/skipped | written/wall (min) | encoder speed (min) | min tile fps | load avg |",
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...steps.map(
    (s) =>
      `| ${s.recordings} | ${s.realTime ? 'yes' : 'no'} | ${s.cpuPerRecording} | ${s.encoderCpu} | ${s.videoDecodersCpu} | ${s.audioDecodersCpu} | ${round(s.nodeCpu / s.recordings)} | ${s.mediasoupWorkersCpu} | ${s.publishersCpu} | ${s.viewersReceiverCpu} | ${s.otherCpu} | ${s.machineCpu} | ${s.framesDroppedOrSkipped} | ${pct(s.minWrittenOverWall)} | ${pct(s.minEncoderSpeed)} | ${s.minTileFps} | ${s.loadAverage} |`,
  ),
];
process.stderr.write(`${table.join('\n')}\n`);

const realTimeSteps = steps.filter((s) => s.realTime);
const best = realTimeSteps.at(-1);
const one = steps.find((s) => s.recordings === 1);
console.log(
  JSON.stringify({
    bench: 'recording-composite',
    maxRealTimeRecordings: best?.recordings ?? 0,
    cpuPerRecordedSecond: one?.cpuPerRecording ?? null,
    cpuPerRecordedSecondAtMax: best?.cpuPerRecording ?? null,
    target: { recordings: 2, cpuPerRecordedSecond: 1 },
    met: (best?.recordings ?? 0) >= 2 && best.cpuPerRecording < 1,
    peers: PEERS,
    peerSize: PEER_SIZE,
    peerBitrate: PEER_BITRATE,
    roomViewers: ROOM_VIEWERS,
    mediaWorkers: MEDIA_WORKERS,
    x264Preset: compositeOptions.x264Preset,
    canvas: `${compositeOptions.width}x${compositeOptions.height}@${compositeOptions.frameRate}`,
    stepSeconds: SECONDS,
    nproc: cpus().length,
    loadAverageBefore: loadBefore,
    seconds: Math.round((Date.now() - started) / 1000),
    steps,
  }),
);
