import { AudioJitterBuffer } from './audio-jitter-buffer';
import { audioArgs } from './decoder-args';
import { describeExit, FfmpegChild, spawnFfmpeg, stopFfmpeg } from './ffmpeg-child';
import { RtpConsumption } from './rtp-consumption';

const RETRY_MS = 1000;

/** One audio producer decoded into a jitter buffer the mixer reads on every frame. */
export class AudioSource {
  readonly buffer = new AudioJitterBuffer();
  private decoder: FfmpegChild | null = null;
  private work: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly deps: {
      consumption: RtpConsumption;
      ffmpegPath: string;
      listenIp: string;
      sdpPath: string;
      warn: (message: string) => void;
    },
  ) {
    this.kick();
  }

  get producerId(): string {
    return this.deps.consumption.producerId;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.work?.catch(() => undefined);
    if (this.decoder) await stopFfmpeg(this.decoder);
    this.decoder = null;
    const failure = await this.deps.consumption.close();
    if (failure) this.deps.warn(`could not release the consumer of ${this.producerId}: ${failure.message}`);
  }

  private kick(): void {
    if (this.closed || this.work) return;
    this.work = this.start()
      .catch((error: unknown) => {
        this.deps.warn(`audio ${this.producerId}: ${error instanceof Error ? error.message : String(error)}`);
        this.retryLater();
      })
      .finally(() => (this.work = null));
  }

  private retryLater(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.kick();
    }, RETRY_MS);
  }

  private async start(): Promise<void> {
    const { consumption, ffmpegPath, sdpPath, listenIp } = this.deps;
    if (!consumption.active) await consumption.open();
    if (this.closed || this.decoder) return;
    const child = spawnFfmpeg(ffmpegPath, audioArgs(sdpPath, listenIp), ['ignore', 'pipe', 'pipe']);
    this.decoder = child;
    child.process.stdout?.on('data', (chunk: Buffer) => this.buffer.push(chunk));
    void child.exited.then((exit) => {
      if (this.decoder !== child || this.closed) return;
      this.decoder = null;
      this.deps.warn(
        `audio decoder of ${this.producerId} stopped (${describeExit(exit, child.stderrTail())}); restarting`,
      );
      this.retryLater();
    });
  }
}
