// A synthetic peer: joins a room on the media service like a client, then publishes
// ffmpeg's test pattern (a moving timecode, VP8) and a 440 Hz tone (opus) over plain RTP,
// the way a SIP or hardware gateway would. Real media without a browser, for tests that
// need peers sending (recording, layouts, consumers).
//
// The media service must run with MEDIA_PLAIN_INGEST=true (plain transports are refused
// otherwise), and ffmpeg must be installed. The pattern is encoded once into a short clip
// (cached under var/cache/synthetic-media) and looped without re-encoding, so a peer costs
// almost no CPU.
//
//   const join = await fixture.grantFor('ana', roomId);           // the rooms service's join answer
//   const ana = await SyntheticPeer.join({
//     signalingUrl: media.signalingUrl,
//     grant: join.grant.token,
//     displayName: 'Ana',
//     publish: 'camera+microphone',                              // or 'camera', 'microphone', 'screen', 'none'
//   });
//   ana.producers.video?.producerId; ana.producers.audio?.producerId;
//   await ana.client.next('recordingChanged');                  // the signaling client, notifications kept
//   await ana.stopCamera();                                       // closes the video producer
//   await ana.leave();                                            // leaves and stops ffmpeg
//
// `close()` stops ffmpeg and drops the socket without a leave (the peer then leaves after
// the media service's reconnect grace). Each peer runs its publisher in a child process
// (bench/support/synthetic-publisher.mjs is an ES module, which Jest's CommonJS runtime
// cannot import); the child stops ffmpeg when this process goes away.
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MediaSource, SignalingReplyOf } from '@confer/contracts';
import { SignalingTestClient } from './media-signaling.client';

/** What a synthetic peer sends: the camera (or a screen share) as video, the microphone as audio. */
export type SyntheticPublish = 'camera+microphone' | 'camera' | 'microphone' | 'screen' | 'none';

export interface SyntheticPeerOptions {
  /** ws://…/v1/media/ws of the media service the grant names. */
  signalingUrl: string;
  /** The join grant (`grant.token` of the rooms service's join answer). */
  grant: string;
  /** Shown to the others when the grant carries no name. */
  displayName?: string;
  /** Default camera+microphone. 'screen' is a screen share (source `screen`, video only). */
  publish?: SyntheticPublish;
  /** Passed on to startSyntheticPublisher: size ('1280x720'), frameRate, videoBitrate, toneHz, … */
  publisher?: Record<string, unknown>;
}

export interface SyntheticProducer {
  producerId: string;
  source: MediaSource;
  /** The SSRC ffmpeg sends it with. */
  ssrc: number;
}

interface StreamInfo {
  ssrc: number;
  rtpParameters: Record<string, unknown>;
}

type ChildMessage =
  | { type: 'started'; video: StreamInfo | null; audio: StreamInfo | null }
  | { type: 'failed'; message: string };

const PUBLISHER_URL = pathToFileURL(
  join(__dirname, '..', '..', 'bench', 'support', 'synthetic-publisher.mjs'),
).href;

// The child: starts the publisher, reports what to produce with, stops it when told or
// when its parent goes away. Audio alone still needs somewhere to send the video (the
// publisher always sends it): a local socket that drops it.
const CHILD_SCRIPT = `
import { createSocket } from 'node:dgram';
const { startSyntheticPublisher } = await import(process.env.SYNTHETIC_PUBLISHER_URL);
const options = JSON.parse(process.env.SYNTHETIC_PUBLISHER_OPTIONS);
const sendVideo = Boolean(options.video);
let sink;
if (!sendVideo) {
  sink = createSocket('udp4');
  sink.on('message', () => undefined);
  await new Promise((resolve) => sink.bind(0, '127.0.0.1', resolve));
  options.video = { ip: '127.0.0.1', port: sink.address().port, rtcpPort: sink.address().port };
}
let publisher;
try {
  publisher = await startSyntheticPublisher(options);
} catch (error) {
  process.send({ type: 'failed', message: String(error && error.message || error) });
  process.exit(1);
}
const stream = (s) => s && { ssrc: s.ssrc, rtpParameters: s.rtpParameters };
process.send({ type: 'started', video: sendVideo ? stream(publisher.video) : null, audio: stream(publisher.audio) });
const stop = async () => {
  await publisher.stop();
  sink?.close();
  process.exit(0);
};
process.on('message', (m) => { if (m && m.type === 'stop') void stop(); });
process.on('disconnect', () => void stop());
process.on('SIGTERM', () => void stop());
publisher.exited.then(() => process.exit(1));
`;

/** ffmpeg in a child process, sending to the given plain transports. */
class PublisherProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly video: StreamInfo | null,
    readonly audio: StreamInfo | null,
  ) {}

  static async start(options: Record<string, unknown>): Promise<PublisherProcess> {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD_SCRIPT], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: {
        ...process.env,
        SYNTHETIC_PUBLISHER_URL: PUBLISHER_URL,
        SYNTHETIC_PUBLISHER_OPTIONS: JSON.stringify(options),
      },
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const message = await new Promise<ChildMessage>((resolve, reject) => {
      child.once('message', (m) => resolve(m as ChildMessage));
      child.once('exit', (code) =>
        reject(new Error(`synthetic publisher exited (${code}) before starting: ${stderr.trim()}`)),
      );
    });
    if (message.type === 'failed') throw new Error(`synthetic publisher failed: ${message.message}`);
    return new PublisherProcess(child, message.video, message.audio);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    if (this.child.connected) this.child.send({ type: 'stop' });
    else this.child.kill('SIGTERM');
    await exited;
  }
}

/** A peer of a room that sends the test pattern and tone over plain RTP; see the top of this file. */
export class SyntheticPeer {
  readonly producers: { video?: SyntheticProducer; audio?: SyntheticProducer } = {};
  #publisher?: PublisherProcess;

  private constructor(
    /** Its signaling connection: requests, and every notification it received. */
    readonly client: SignalingTestClient,
    /** The join reply (peers, producers, permissions, recording, …). */
    readonly joined: SignalingReplyOf<'join'>,
  ) {}

  get peerId(): string {
    return this.joined.peerId;
  }

  /** Joins, opens plain send transports and publishes what `publish` says. */
  static async join(options: SyntheticPeerOptions): Promise<SyntheticPeer> {
    const client = await SignalingTestClient.connect(options.signalingUrl);
    try {
      const joined = await client.request('join', {
        grant: options.grant,
        ...(options.displayName ? { displayName: options.displayName } : {}),
      });
      const peer = new SyntheticPeer(client, joined);
      await peer.#publish(options.publish ?? 'camera+microphone', options.publisher ?? {});
      return peer;
    } catch (error) {
      client.close();
      throw error;
    }
  }

  async #publish(publish: SyntheticPublish, publisherOptions: Record<string, unknown>): Promise<void> {
    if (publish === 'none') return;
    const videoSource: MediaSource | null =
      publish === 'camera+microphone' || publish === 'camera'
        ? 'camera'
        : publish === 'screen'
          ? 'screen'
          : null;
    const withAudio = publish === 'camera+microphone' || publish === 'microphone';
    // One transport per stream: ffmpeg sends each from its own socket, and a comedia port
    // takes media from the first sender only.
    const plainTransport = async () => {
      const t = await this.client.request('createTransport', { direction: 'send', plain: true });
      if (t.port === undefined || t.rtcpPort === undefined)
        throw new Error('the media service answered no plain transport address');
      return { transportId: t.transportId, target: { ip: t.ip, port: t.port, rtcpPort: t.rtcpPort } };
    };
    const videoTransport = videoSource ? await plainTransport() : null;
    const audioTransport = withAudio ? await plainTransport() : null;
    this.#publisher = await PublisherProcess.start({
      source: 'loop',
      ...publisherOptions,
      video: videoTransport?.target ?? null,
      audio: audioTransport?.target ?? null,
    });
    if (videoTransport && videoSource && this.#publisher.video) {
      const { producerId } = await this.client.request('produce', {
        transportId: videoTransport.transportId,
        kind: 'video',
        source: videoSource,
        rtpParameters: this.#publisher.video.rtpParameters,
      });
      this.producers.video = { producerId, source: videoSource, ssrc: this.#publisher.video.ssrc };
    }
    if (audioTransport && this.#publisher.audio) {
      const { producerId } = await this.client.request('produce', {
        transportId: audioTransport.transportId,
        kind: 'audio',
        source: 'microphone',
        rtpParameters: this.#publisher.audio.rtpParameters,
      });
      this.producers.audio = { producerId, source: 'microphone', ssrc: this.#publisher.audio.ssrc };
    }
  }

  /** Turns the camera (or the screen share) off: its producer closes; the audio goes on. */
  async stopCamera(): Promise<void> {
    const video = this.producers.video;
    if (!video) return;
    delete this.producers.video;
    await this.client.request('closeProducer', { producerId: video.producerId });
    if (!this.producers.audio) await this.#publisher?.stop();
  }

  /** Leaves the room (the others hear `peerLeft`), then stops ffmpeg. */
  async leave(): Promise<void> {
    try {
      await this.client.request('leave', {});
    } catch {
      // Already gone (the server ended the session): nothing to leave.
    }
    await this.close();
  }

  /** Stops ffmpeg and drops the socket without leaving. */
  async close(): Promise<void> {
    await this.#publisher?.stop();
    this.client.close();
  }
}
