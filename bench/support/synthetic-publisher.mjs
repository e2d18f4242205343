// A synthetic peer that publishes over plain RTP: ffmpeg's test pattern (testsrc2 with a
// moving timecode) as VP8, and a tone as opus, sent to a UDP address such as a mediasoup
// PlainTransport in comedia mode. Used by the media load bench, and meant for any test
// that needs real video without a browser.
//
//   // ffmpeg sends RTP and RTCP from two sockets: a comedia PlainTransport must not
//   // multiplex them (rtcpMux: false), or the first RTCP packet would lock RTP out.
//   const t = await router.createPlainTransport({ listenIp, comedia: true, rtcpMux: false });
//   const publisher = await startSyntheticPublisher({
//     video: { port: t.tuple.localPort, rtcpPort: t.rtcpTuple.localPort },
//     audio: null,
//   });
//   await t.produce({ kind: 'video', rtpParameters: publisher.video.rtpParameters });
//   …
//   await publisher.stop();
//
// Two sources: `live` encodes the pattern in real time (a true running timecode, but an
// encoder's worth of CPU per publisher); `loop` encodes a short clip once, caches it under
// the repository's var/ and sends it over and over without re-encoding (almost no CPU, so
// it stays off a measurement; its timecode restarts with each loop). What a consumer of
// it forwards decodes: ffmpeg reading a plain consumer's RTP through an SDP gets 30 frames
// a second with the timecode legible.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomInt } from 'node:crypto';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const defaultCacheDir = join(root, 'var', 'cache', 'synthetic-media');

/** The same payload types a browser offer commonly uses; any dynamic type works. */
const VIDEO_PAYLOAD_TYPE = 101;
const AUDIO_PAYLOAD_TYPE = 100;

/** Throws a readable error when ffmpeg is not installed. */
export function assertFfmpeg() {
  try {
    execFileSync('ffmpeg', ['-hide_banner', '-version'], { stdio: 'ignore' });
  } catch (error) {
    if (error.code === 'ENOENT') throw new Error('ffmpeg is needed: apt-get install ffmpeg');
    throw error;
  }
}

function patternFilter({ size, frameRate, timecode }) {
  const pattern = `testsrc2=size=${size}:rate=${frameRate}`;
  if (!timecode) return pattern;
  // fontconfig's monospace font (fonts-dejavu-core on Debian, pulled in by ffmpeg).
  return (
    `${pattern},drawtext=font=monospace:fontsize=48:fontcolor=white:box=1:boxcolor=black@0.6:` +
    `x=24:y=24:timecode='00\\:00\\:00\\:00':rate=${frameRate}`
  );
}

function encoderArgs({ videoBitrate, audioBitrate, frameRate, keyFrameSeconds }) {
  const kbps = Math.round(videoBitrate / 1000);
  return [
    // Real-time speed, the bitrate capped over half a second, a keyframe every
    // keyFrameSeconds: about what a WebRTC sender does, minus its bandwidth adaptation.
    // (libvpx's strict CBR, -minrate = -maxrate, overshoots by 20-40% on this pattern.)
    ['-c:v', 'libvpx', '-pix_fmt', 'yuv420p', '-deadline', 'realtime', '-cpu-used', '8'],
    ['-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${Math.round(kbps / 2)}k`, '-qmax', '63'],
    ['-undershoot-pct', '0', '-overshoot-pct', '0'],
    ['-g', String(Math.round(frameRate * keyFrameSeconds)), '-auto-alt-ref', '0', '-lag-in-frames', '0'],
    ['-c:a', 'libopus', '-ac', '2', '-ar', '48000', '-b:a', `${Math.round(audioBitrate / 1000)}k`],
    ['-application', 'voip', '-frame_duration', '20'],
  ].flat();
}

/**
 * Encodes `seconds` of the pattern and tone into a WebM clip once and returns its path;
 * later calls with the same settings reuse it.
 */
export function syntheticClip(options = {}) {
  const o = withDefaults(options);
  // v2: the encoder settings of encoderArgs; bump when they change.
  const name = `v2-testsrc2-${o.size}-${o.frameRate}fps-${o.videoBitrate}bps-g${o.keyFrameSeconds}-${o.toneHz}hz-${o.clipSeconds}s${o.timecode ? '-tc' : ''}.webm`;
  const file = join(o.cacheDir, name);
  if (existsSync(file)) return file;
  assertFfmpeg();
  mkdirSync(o.cacheDir, { recursive: true });
  const partial = `${file}.${process.pid}.partial.webm`;
  execFileSync(
    'ffmpeg',
    [
      ['-hide_banner', '-loglevel', 'error', '-y'],
      ['-f', 'lavfi', '-i', patternFilter(o)],
      ['-f', 'lavfi', '-i', `sine=frequency=${o.toneHz}:sample_rate=48000`],
      ['-t', String(o.clipSeconds)],
      encoderArgs(o),
      [partial],
    ].flat(),
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  renameSync(partial, file);
  return file;
}

function withDefaults(options) {
  return {
    size: '1280x720',
    frameRate: 30,
    videoBitrate: 800_000,
    audioBitrate: 48_000,
    keyFrameSeconds: 2,
    toneHz: 440,
    timecode: true,
    source: 'loop',
    clipSeconds: 10,
    cacheDir: defaultCacheDir,
    ...options,
  };
}

function rtpTarget({ ip = '127.0.0.1', port, rtcpPort = port + 1 }) {
  // Packets of at most 1200 bytes, as browsers send.
  return `rtp://${ip}:${port}?rtcpport=${rtcpPort}&pkt_size=1200`;
}

/**
 * Starts an ffmpeg process sending `video` (VP8) and, unless `audio` is null, `audio`
 * (opus) as RTP to the given addresses. Resolves once ffmpeg runs; `rtpParameters` are
 * what a mediasoup producer for each stream must be given.
 */
export async function startSyntheticPublisher(options) {
  const o = withDefaults(options);
  if (!o.video?.port) throw new Error('startSyntheticPublisher needs video.port');
  assertFfmpeg();
  const video = { payloadType: VIDEO_PAYLOAD_TYPE, ssrc: randomInt(1, 2 ** 31), ...o.video };
  const audio = o.audio ? { payloadType: AUDIO_PAYLOAD_TYPE, ssrc: randomInt(1, 2 ** 31), ...o.audio } : null;

  const input =
    o.source === 'live'
      ? [
          ['-re', '-f', 'lavfi', '-i', patternFilter(o)],
          ['-re', '-f', 'lavfi', '-i', `sine=frequency=${o.toneHz}:sample_rate=48000`],
          ['-map', '0:v:0', '-map', '1:a:0'],
          encoderArgs(o),
        ].flat()
      : ['-re', '-stream_loop', '-1', '-i', syntheticClip(o), '-map', '0:v:0', '-map', '0:a:0', '-c', 'copy'];
  const outputs = [
    `[select=v:f=rtp:ssrc=${video.ssrc}:payload_type=${video.payloadType}]${rtpTarget(video)}`,
  ];
  if (audio) {
    outputs.push(`[select=a:f=rtp:ssrc=${audio.ssrc}:payload_type=${audio.payloadType}]${rtpTarget(audio)}`);
  }
  const args = [
    ['-hide_banner', '-loglevel', 'error', '-nostdin'],
    input,
    audio ? [] : ['-an'],
    ['-f', 'tee', outputs.join('|')],
  ].flat();

  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  // ffmpeg fails fast on bad arguments; a publisher that lives half a second is running.
  const early = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 500))]);
  if (early) throw new Error(`ffmpeg exited (${early.code ?? early.signal}): ${stderr.trim()}`);

  let stopped = false;
  return {
    pid: child.pid,
    video: {
      ...video,
      rtpParameters: {
        codecs: [
          {
            mimeType: 'video/VP8',
            payloadType: video.payloadType,
            clockRate: 90000,
            rtcpFeedback: [
              { type: 'nack' },
              { type: 'nack', parameter: 'pli' },
              { type: 'ccm', parameter: 'fir' },
            ],
          },
        ],
        encodings: [{ ssrc: video.ssrc }],
      },
    },
    audio: audio && {
      ...audio,
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: audio.payloadType, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: audio.ssrc }],
      },
    },
    /** Resolves when ffmpeg has exited; safe to call twice. */
    async stop() {
      if (!stopped) {
        stopped = true;
        child.kill('SIGTERM');
      }
      await exited;
    },
    /** Resolves with ffmpeg's exit if it ends on its own (a crash, or the receiver gone). */
    exited,
    get stderr() {
      return stderr;
    },
  };
}
