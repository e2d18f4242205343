/** How a composite looks, sounds and where its decoders listen. */
export interface CompositeOptions {
  width: number;
  height: number;
  frameRate: number;
  /** libx264 preset: the encoder is most of the composite's CPU, see docs/recording.md. */
  x264Preset: string;
  videoBitrateKbps: number;
  audioBitrateKbps: number;
  /** The address decoders bind and the media server sends RTP to. */
  rtpListenIp: string;
  hlsSegmentSeconds: number;
  ffmpegPath?: string;
  /** Used to probe a crashed part's last segment; defaults to ffprobe beside ffmpegPath. */
  ffprobePath?: string;
  /** UDP ports decoders may bind: RTP on an even port, RTCP on the next one. */
  rtpPortRange?: { min: number; max: number };
  /** Parent of the composite's scratch folder (SDP files, tile labels); the OS temp dir by default. */
  workDir?: string;
}

export const defaultCompositeOptions: CompositeOptions = {
  width: 1280,
  height: 720,
  frameRate: 30,
  // Measured on a 2-core machine: a 4-peer 720p30 composite stays under one core with it.
  x264Preset: 'veryfast',
  videoBitrateKbps: 2500,
  audioBitrateKbps: 128,
  rtpListenIp: '127.0.0.1',
  hlsSegmentSeconds: 2,
};

/** Outside the Linux ephemeral range (32768-60999) and the media service's default RTC ports. */
export const defaultRtpPortRange = { min: 20000, max: 29999 };

export const AUDIO_SAMPLE_RATE = 48000;
export const AUDIO_CHANNELS = 2;

/** Throws a readable error for options ffmpeg or the yuv420p planes could not honour. */
export function assertCompositeOptions(o: CompositeOptions): void {
  const problems: string[] = [];
  // yuv420p halves both dimensions for its chroma planes.
  if (!Number.isInteger(o.width) || o.width < 64 || o.width % 2)
    problems.push('width must be an even integer ≥ 64');
  if (!Number.isInteger(o.height) || o.height < 64 || o.height % 2) {
    problems.push('height must be an even integer ≥ 64');
  }
  if (!(o.frameRate >= 1 && o.frameRate <= 60)) problems.push('frameRate must be between 1 and 60');
  if (!(o.hlsSegmentSeconds >= 1)) problems.push('hlsSegmentSeconds must be at least 1');
  if (!/^[a-z]+$/.test(o.x264Preset)) problems.push('x264Preset must be a libx264 preset name');
  if (!(o.videoBitrateKbps > 0) || !(o.audioBitrateKbps > 0)) problems.push('bitrates must be positive');
  const range = o.rtpPortRange;
  if (range && !(range.min >= 1024 && range.max <= 65535 && range.max - range.min >= 1)) {
    problems.push('rtpPortRange must hold at least two ports between 1024 and 65535');
  }
  if (problems.length) throw new Error(`Invalid composite options: ${problems.join('; ')}`);
}

/** ffprobe beside the configured ffmpeg, or on PATH. */
export function ffprobeBeside(ffmpegPath: string | undefined): string {
  if (!ffmpegPath || !ffmpegPath.includes('/')) return 'ffprobe';
  return ffmpegPath.replace(/ffmpeg([^/]*)$/, 'ffprobe$1');
}

/**
 * Audio samples that belong to video frame `index`: 48000/frameRate when it divides
 * (1600 at 30 fps), otherwise spread so that n frames always carry round(n·48000/fps).
 */
export function samplesForFrame(index: number, frameRate: number): number {
  const at = (n: number) => Math.floor((n * AUDIO_SAMPLE_RATE) / frameRate);
  return at(index + 1) - at(index);
}
