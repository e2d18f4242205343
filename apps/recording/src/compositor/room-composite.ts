import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecorderRoster } from '@confer/contracts';
import { mixAudio } from './audio-mixer';
import { paintCanvas } from './canvas-painter';
import { CompletedPart, MP4_NAME, PLAYLIST_NAME } from './completed-part';
import {
  assertCompositeOptions,
  CompositeOptions,
  defaultRtpPortRange,
  ffprobeBeside,
  samplesForFrame,
} from './composite-options';
import { filterPath } from './ffmpeg-child';
import { FrameClock } from './frame-clock';
import { completeInterruptedPart } from './interrupted-part';
import { layoutTiles, Tile } from './layout';
import { MediaFeed } from './media-feed.port';
import { remuxToMp4 } from './mp4-remux';
import { NameCards } from './name-cards';
import { PartEncoder } from './part-encoder';
import { RoomSources } from './room-sources';
import { drawnRoom } from './roster-view';
import { UdpPortPool } from './udp-port-pool';

export type { CompositeOptions } from './composite-options';
export type { CompletedPart } from './completed-part';

/** Peers remembered as recent speakers, for who keeps a place in a crowded grid. */
const RECENT_SPEAKERS = 32;

/**
 * A live room turned into video files: the picture a regular viewer sees (tiles with
 * names, a screen share large) and the room's original audio, encoded into parts of
 * HLS segments, each part also remuxed into an MP4 when it closes.
 *
 * Node is the clock: on every tick it paints a canvas from the latest frame of each
 * tile's decoder and mixes exactly one frame's worth of audio, so picture and sound
 * cannot drift apart. Events: 'error' (Error; the encoder died, e.g. a full disk; the
 * service decides what to do) and 'warning' (string; a decoder restarted, a consume
 * failed and is retried). Nothing thrown in a timer escapes.
 */
export class RoomComposite extends EventEmitter {
  private tiles: Tile[] = [];
  private seq = -1;
  private recentSpeakers: string[] = [];
  private encoder: PartEncoder;
  private readonly clock: FrameClock;
  private partOps: Promise<unknown> = Promise.resolve();
  private finishing: Promise<CompletedPart> | null = null;
  private droppedInClosedParts = 0;

  private constructor(
    private readonly options: CompositeOptions,
    private readonly workDir: string,
    private readonly sources: RoomSources,
    private readonly cards: NameCards,
  ) {
    super();
    this.clock = new FrameClock(options.frameRate, (index) => this.produceFrame(index));
  }

  static async start(
    feed: MediaFeed,
    roster: RecorderRoster,
    firstPartDir: string,
    options: CompositeOptions,
  ): Promise<RoomComposite> {
    assertCompositeOptions(options);
    const ffmpegPath = options.ffmpegPath ?? 'ffmpeg';
    const workDir = filterPath(await mkdtemp(join(options.workDir ?? tmpdir(), 'confer-composite-')));
    let composite: RoomComposite | null = null;
    const warn = (message: string) => composite?.emit('warning', message);
    const sources = new RoomSources({
      feed,
      pool: new UdpPortPool(options.rtpPortRange ?? defaultRtpPortRange, options.rtpListenIp),
      ffmpegPath,
      listenIp: options.rtpListenIp,
      workDir,
      warn,
    });
    const cards = new NameCards(ffmpegPath, workDir, warn);
    composite = new RoomComposite(options, workDir, sources, cards);
    try {
      composite.encoder = await PartEncoder.start(firstPartDir, options, (e) => composite?.encoderFailed(e));
    } catch (error) {
      await rm(workDir, { recursive: true, force: true });
      throw error;
    }
    composite.updateRoster(roster);
    composite.clock.start();
    return composite;
  }

  /**
   * The part being written: its encoder's process id, and how many seconds of media it
   * was given so far (the position in its files, which is not wall-clock time when
   * frames were dropped), for diagnostics and tests.
   */
  get currentPart(): { dir: string; pid?: number; seconds: number } {
    return { dir: this.encoder.dir, pid: this.encoder.pid, seconds: this.encoder.durationSeconds };
  }

  get stats() {
    return {
      frames: this.clock.framesProduced,
      framesSkipped: this.clock.framesSkipped,
      /** Frames the encoders could not take in time, over all parts (see PartEncoder.write). */
      framesDropped: this.droppedInClosedParts + this.encoder.dropped,
      videoDecoders: this.sources.videoCount,
      audioDecoders: this.sources.audioCount,
      tiles: this.tiles.map((t) => ({ ...t })),
      videos: this.sources.videoCounters(),
    };
  }

  /** Redraws the layout from a newer roster; an older one arriving late is ignored. */
  updateRoster(roster: RecorderRoster): void {
    if (this.finishing || roster.seq < this.seq) return;
    this.seq = roster.seq;
    const speaker = roster.activeSpeakerPeerId;
    if (speaker && this.recentSpeakers[0] !== speaker) {
      this.recentSpeakers = [speaker, ...this.recentSpeakers.filter((p) => p !== speaker)].slice(
        0,
        RECENT_SPEAKERS,
      );
    }
    const room = drawnRoom(roster);
    this.tiles = layoutTiles({
      width: this.options.width,
      height: this.options.height,
      peers: room.peers,
      shares: room.shares,
      recentSpeakers: this.recentSpeakers,
    });
    this.sources.apply(this.tiles, room.audioProducerIds);
  }

  /**
   * Starts a new part in `nextDir` and closes the current one: the next frame goes to
   * the new encoder, so nothing is lost or repeated between them. Resolves with the
   * finished previous part once its MP4 is written.
   */
  rollPart(nextDir: string): Promise<CompletedPart> {
    if (this.finishing) return Promise.reject(new Error('The composite is finishing'));
    const op = this.partOps.then(async () => {
      const next = await PartEncoder.start(nextDir, this.options, (e) => this.encoderFailed(e));
      const previous = this.encoder;
      this.encoder = next;
      return this.closePart(previous);
    });
    this.partOps = op.catch(() => undefined);
    return op;
  }

  /** Ends the last part, stops every decoder and releases every consumer. Safe to call twice. */
  finish(): Promise<CompletedPart> {
    this.finishing ??= this.partOps.then(async () => {
      this.clock.stop();
      const [part] = await Promise.all([this.closePart(this.encoder), this.sources.close()]);
      await rm(this.workDir, { recursive: true, force: true });
      return part;
    });
    return this.finishing;
  }

  private produceFrame(index: number): void {
    try {
      const { width, height } = this.options;
      const canvas = paintCanvas(width, height, this.tiles, this.sources, this.cards);
      const audio = mixAudio(this.sources.audioBuffers(), samplesForFrame(index, this.options.frameRate));
      this.encoder.write(canvas.data, audio);
    } catch (error) {
      this.encoderFailed(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Reported, never thrown: it happens in timers and child-process callbacks. */
  private encoderFailed(error: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
    else this.emit('warning', error.message);
  }

  private async closePart(encoder: PartEncoder): Promise<CompletedPart> {
    const endedAt = new Date();
    await encoder.end();
    if (encoder !== this.encoder) this.droppedInClosedParts += encoder.dropped;
    const tools = {
      ffmpegPath: this.options.ffmpegPath,
      ffprobePath: this.options.ffprobePath ?? ffprobeBeside(this.options.ffmpegPath),
    };
    if (encoder.failed) {
      const part = await completeInterruptedPart(encoder.dir, tools);
      if (!part) throw new Error(`Nothing of ${encoder.dir} could be saved: ${encoder.failed.message}`);
      return part;
    }
    const playlist = join(encoder.dir, PLAYLIST_NAME);
    const mp4 = join(encoder.dir, MP4_NAME);
    await remuxToMp4(tools.ffmpegPath ?? 'ffmpeg', playlist, mp4);
    return {
      dir: encoder.dir,
      playlist,
      mp4,
      durationSeconds: encoder.durationSeconds,
      startedAt: encoder.startedAt,
      endedAt,
      interrupted: false,
    };
  }
}
