import { writeFile, unlink } from 'node:fs/promises';
import { videoTileArgs } from './decoder-args';
import { FfmpegChild, spawnFfmpeg, stopFfmpeg, describeExit } from './ffmpeg-child';
import { FrameReader } from './frame-reader';
import { RtpConsumption } from './rtp-consumption';
import { scaleNearest, YuvFrame, yuvFrameBytes } from './yuv-frame';

/** How a tile shows a video: its size on the canvas and the name written on it. */
export interface TileLook {
  width: number;
  height: number;
  label: string;
}

export interface DecoderDeps {
  consumption: RtpConsumption;
  ffmpegPath: string;
  listenIp: string;
  sdpPath: string;
  /** The tile's label for drawtext (a file: no escaping of names with quotes or colons). */
  labelPath: string;
  warn: (message: string) => void;
}

/** A decoder that died is started again after this long; a failing consume retried likewise. */
const RETRY_MS = 1000;
/** Key frames are asked for until the first frame arrives: the first request may come before ffmpeg listens. */
const KEY_FRAME_FIRST_MS = 300;
const KEY_FRAME_EVERY_MS = 1000;
/** The media server picks a simulcast layer from the tile height; a new one is asked for past this ratio. */
const RELAYER_RATIO = 2;

const sameSize = (a: { width: number; height: number }, b: { width: number; height: number }) =>
  a.width === b.width && a.height === b.height;
const sameLook = (a: TileLook, b: TileLook) => sameSize(a, b) && a.label === b.label;

/**
 * One video producer decoded to tiles of its current size. When the tile's size
 * changes the decoder is restarted at the new size (ffmpeg cannot rescale its output on
 * the fly), and until its first frame the last picture is shown, crudely scaled.
 */
export class VideoTileSource {
  private wanted: TileLook;
  private decoder: { child: FfmpegChild; look: TileLook } | null = null;
  private latest: YuvFrame | null = null;
  private placeholder: YuvFrame | null = null;
  private consumedAtHeight = 0;
  private work: Promise<void> | null = null;
  private again = false;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;
  private decoded = 0;
  private decoderStarts = 0;

  constructor(
    private readonly deps: DecoderDeps,
    look: TileLook,
  ) {
    this.wanted = look;
    this.kick();
  }

  get producerId(): string {
    return this.deps.consumption.producerId;
  }

  /** For diagnostics and tests: frames decoded and decoders started so far. */
  get counters(): { framesDecoded: number; decoderStarts: number; live: boolean } {
    // live: the tile shows decoded video at its size (not a stand-in, not a name card).
    return { framesDecoded: this.decoded, decoderStarts: this.decoderStarts, live: this.latest !== null };
  }

  /** The picture for the tile at its wanted size, or null before any (the name card shows then). */
  frame(): YuvFrame | null {
    const f = this.latest ?? this.placeholder;
    return f && sameSize(f, this.wanted) ? f : null;
  }

  setLook(look: TileLook): void {
    if (sameLook(look, this.wanted)) return;
    if (!sameSize(look, this.wanted)) {
      const last = this.latest ?? this.placeholder;
      this.placeholder = last ? scaleNearest(last, look.width, look.height) : null;
      this.latest = null;
    }
    this.wanted = look;
    this.kick();
  }

  /** Stops the decoder and the media server's sending. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.work?.catch(() => undefined);
    if (this.decoder) await stopFfmpeg(this.decoder.child);
    this.decoder = null;
    const failure = await this.deps.consumption.close();
    if (failure) this.deps.warn(`could not release the consumer of ${this.producerId}: ${failure.message}`);
    await unlink(this.deps.labelPath).catch(() => undefined);
  }

  /** Brings the decoder in line with the wanted look, one step at a time, never twice at once. */
  private kick(): void {
    if (this.closed) return;
    if (this.work) {
      this.again = true;
      return;
    }
    this.work = this.converge()
      .catch((error: unknown) => {
        this.deps.warn(`video ${this.producerId}: ${error instanceof Error ? error.message : String(error)}`);
        this.retryLater();
      })
      .finally(() => {
        this.work = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private retryLater(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.kick();
    }, RETRY_MS);
  }

  private async converge(): Promise<void> {
    const look = this.wanted;
    const c = this.deps.consumption;
    const ratio =
      Math.max(look.height, this.consumedAtHeight) /
      Math.max(1, Math.min(look.height, this.consumedAtHeight));
    if (!c.active || ratio >= RELAYER_RATIO) {
      await this.stopDecoder();
      await c.closeConsumer();
      if (this.closed) return;
      await c.open(look.height);
      this.consumedAtHeight = look.height;
    }
    if (this.closed) return;
    if (this.decoder && !this.decoder.child.done && sameLook(this.decoder.look, look)) return;
    await this.stopDecoder();
    await writeFile(this.deps.labelPath, look.label);
    if (!this.closed) this.startDecoder(look);
  }

  private async stopDecoder(): Promise<void> {
    const d = this.decoder;
    this.decoder = null;
    if (d) await stopFfmpeg(d.child);
  }

  private startDecoder(look: TileLook): void {
    const { ffmpegPath, sdpPath, listenIp, labelPath } = this.deps;
    const child = spawnFfmpeg(ffmpegPath, videoTileArgs(sdpPath, listenIp, look, labelPath), [
      'ignore',
      'pipe',
      'pipe',
    ]);
    const decoder = { child, look };
    this.decoder = decoder;
    this.decoderStarts++;
    let gotFrame = false;
    const reader = new FrameReader(yuvFrameBytes(look.width, look.height), (data) => {
      gotFrame = true;
      this.decoded++;
      if (this.decoder === decoder && sameSize(look, this.wanted)) {
        this.latest = { width: look.width, height: look.height, data };
        this.placeholder = null;
      }
    });
    child.process.stdout?.on('data', (chunk: Buffer) => reader.push(chunk));
    const askKeyFrame = () => {
      if (gotFrame || this.decoder !== decoder || child.done) return;
      this.deps.consumption.requestKeyFrame().catch(() => undefined);
      keyFrames = setTimeout(askKeyFrame, KEY_FRAME_EVERY_MS);
    };
    let keyFrames = setTimeout(askKeyFrame, KEY_FRAME_FIRST_MS);
    void child.exited.then((exit) => {
      clearTimeout(keyFrames);
      if (this.decoder !== decoder || this.closed) return;
      // Died on its own: ten seconds without RTP, or a stream it could not decode.
      this.decoder = null;
      this.deps.warn(
        `video decoder of ${this.producerId} stopped (${describeExit(exit, child.stderrTail())}); restarting`,
      );
      this.retryLater();
    });
  }
}
