import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { AUDIO_CHANNELS, AUDIO_SAMPLE_RATE, CompositeOptions } from './composite-options';
import { PART_INFO_NAME, PartInfo, PLAYLIST_NAME, SEGMENT_PATTERN } from './completed-part';
import { ChildExit, describeExit, FfmpegChild, spawnFfmpeg } from './ffmpeg-child';

/** Frames queued for the encoder beyond which new ones are dropped (with their audio), ~2 s at 30 fps. */
const MAX_QUEUED_FRAMES = 60;

/**
 * The encoder of one part: raw canvases on stdin and mixed s16le on fd 3, H.264 + AAC
 * out as HLS segments written as they complete. Video and audio carry no timestamps:
 * frame n is at n/frameRate and audio sample k at k/48000, so they stay in sync as long
 * as every frame comes with its exact share of samples, which the composite guarantees.
 */
export class PartEncoder {
  readonly startedAt = new Date();
  private framesWritten = 0;
  private framesDropped = 0;
  private failure: Error | null = null;
  private ending = false;
  private readonly video: Writable;
  private readonly audio: Writable;

  private constructor(
    readonly dir: string,
    private readonly child: FfmpegChild,
    private readonly frameRate: number,
    private readonly frameBytes: number,
    private readonly onFailure: (error: Error) => void,
  ) {
    this.video = child.process.stdin as Writable;
    this.audio = child.process.stdio[3] as Writable;
    // EPIPE and the like: the exit below says why, once.
    this.video.on('error', () => undefined);
    this.audio.on('error', () => undefined);
    void child.exited.then((exit) => {
      if (!this.ending || exit.code !== 0) this.fail(exit);
    });
  }

  static async start(
    dir: string,
    options: CompositeOptions,
    onFailure: (error: Error) => void,
  ): Promise<PartEncoder> {
    await mkdir(dir, { recursive: true });
    const info: PartInfo = {
      startedAt: new Date().toISOString(),
      width: options.width,
      height: options.height,
      frameRate: options.frameRate,
    };
    await writeFile(join(dir, PART_INFO_NAME), JSON.stringify(info));
    const child = spawnFfmpeg(options.ffmpegPath ?? 'ffmpeg', encoderArgs(dir, options), [
      'pipe',
      'ignore',
      'pipe',
      'pipe',
    ]);
    return new PartEncoder(
      dir,
      child,
      options.frameRate,
      (options.width * options.height * 3) / 2,
      onFailure,
    );
  }

  get pid(): number | undefined {
    return this.child.process.pid;
  }

  get frames(): number {
    return this.framesWritten;
  }

  get dropped(): number {
    return this.framesDropped;
  }

  get failed(): Error | null {
    return this.failure;
  }

  /** Seconds of media handed to the encoder. */
  get durationSeconds(): number {
    return this.framesWritten / this.frameRate;
  }

  /**
   * Queues one canvas and its audio. When the encoder falls seconds behind (an
   * overloaded machine) the frame is dropped with its audio rather than let memory grow:
   * the part gets shorter, but stays in sync.
   */
  write(frame: Buffer, audio: Buffer): void {
    if (this.failure || this.ending) return;
    if (this.video.writableLength > MAX_QUEUED_FRAMES * this.frameBytes) {
      this.framesDropped++;
      return;
    }
    this.video.write(frame);
    this.audio.write(audio);
    this.framesWritten++;
  }

  /** Ends both inputs: ffmpeg writes the last segment, closes the playlist and exits. */
  async end(): Promise<ChildExit> {
    this.ending = true;
    this.video.end();
    this.audio.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 60_000);
    try {
      return await this.child.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    this.ending = true;
    this.child.kill('SIGKILL');
  }

  private fail(exit: ChildExit): void {
    if (this.failure) return;
    this.failure = new Error(
      `The recording encoder of ${this.dir} stopped (${describeExit(exit, this.child.stderrTail())})`,
    );
    this.onFailure(this.failure);
  }
}

function encoderArgs(dir: string, o: CompositeOptions): string[] {
  const gop = Math.round(o.frameRate * o.hlsSegmentSeconds);
  return [
    ['-hide_banner', '-loglevel', 'error', '-nostats', '-nostdin'],
    [
      '-f',
      'rawvideo',
      '-pix_fmt',
      'yuv420p',
      '-video_size',
      `${o.width}x${o.height}`,
      '-framerate',
      String(o.frameRate),
    ],
    ['-thread_queue_size', '64', '-i', 'pipe:0'],
    [
      '-f',
      's16le',
      '-ar',
      String(AUDIO_SAMPLE_RATE),
      '-ac',
      String(AUDIO_CHANNELS),
      '-thread_queue_size',
      '64',
      '-i',
      'pipe:3',
    ],
    ['-map', '0:v:0', '-map', '1:a:0'],
    // A key frame exactly every segment (and none elsewhere): segments of equal length
    // that each start with one, so parts and segments cut cleanly.
    [
      '-c:v',
      'libx264',
      '-preset',
      o.x264Preset,
      '-pix_fmt',
      'yuv420p',
      '-g',
      String(gop),
      '-keyint_min',
      String(gop),
    ],
    ['-sc_threshold', '0', '-b:v', `${o.videoBitrateKbps}k`, '-maxrate', `${o.videoBitrateKbps}k`],
    ['-bufsize', `${o.videoBitrateKbps * 2}k`],
    ['-c:a', 'aac', '-b:a', `${o.audioBitrateKbps}k`],
    ['-f', 'hls', '-hls_time', String(o.hlsSegmentSeconds), '-hls_playlist_type', 'event'],
    ['-hls_flags', 'independent_segments', '-hls_segment_filename', join(dir, SEGMENT_PATTERN)],
    [join(dir, PLAYLIST_NAME)],
  ].flat();
}
