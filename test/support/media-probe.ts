// What a recorded file holds, asked of ffprobe and ffmpeg: for tests of recordings
// (the composite's own, and end-to-end ones through the recording service).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MAX_BUFFER = 64 * 1024 * 1024;

export interface ProbedStream {
  index: number;
  codecType: 'video' | 'audio' | string;
  codecName: string;
  width?: number;
  height?: number;
  /** Frames per second (avg_frame_rate), video only. */
  fps?: number;
  sampleRate?: number;
  channels?: number;
  durationSeconds?: number;
}

export interface ProbedMedia {
  formatName: string;
  durationSeconds: number;
  streams: ProbedStream[];
}

function ratio(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const [n, d] = text.split('/').map(Number);
  return d ? n / d : n || undefined;
}

/** Container, duration and streams of a file or playlist. */
export async function probeMedia(path: string): Promise<ProbedMedia> {
  const { stdout } = await run(
    'ffprobe',
    ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path],
    { maxBuffer: MAX_BUFFER },
  );
  const json = JSON.parse(stdout) as {
    format: { format_name: string; duration?: string };
    streams: Array<Record<string, string | number | undefined>>;
  };
  return {
    formatName: json.format.format_name,
    durationSeconds: Number(json.format.duration ?? 0),
    streams: json.streams.map((s) => ({
      index: Number(s.index),
      codecType: String(s.codec_type),
      codecName: String(s.codec_name),
      width: s.width === undefined ? undefined : Number(s.width),
      height: s.height === undefined ? undefined : Number(s.height),
      fps: s.codec_type === 'video' ? ratio(String(s.avg_frame_rate)) : undefined,
      sampleRate: s.sample_rate === undefined ? undefined : Number(s.sample_rate),
      channels: s.channels === undefined ? undefined : Number(s.channels),
      durationSeconds: s.duration === undefined ? undefined : Number(s.duration),
    })),
  };
}

export function videoStream(media: ProbedMedia): ProbedStream | undefined {
  return media.streams.find((s) => s.codecType === 'video');
}

export function audioStream(media: ProbedMedia): ProbedStream | undefined {
  return media.streams.find((s) => s.codecType === 'audio');
}

export async function durationSeconds(path: string): Promise<number> {
  return (await probeMedia(path)).durationSeconds;
}

/** Whether the MP4's index (moov) comes before its media (mdat): playable while downloading. */
export async function isFastStart(path: string): Promise<boolean> {
  const { open } = await import('node:fs/promises');
  const file = await open(path, 'r');
  try {
    let offset = 0;
    const header = Buffer.alloc(16);
    for (;;) {
      const { bytesRead } = await file.read(header, 0, 16, offset);
      if (bytesRead < 8) return false;
      let size = header.readUInt32BE(0);
      const type = header.toString('latin1', 4, 8);
      if (type === 'moov') return true;
      if (type === 'mdat') return false;
      if (size === 1) size = Number(header.readBigUInt64BE(8));
      if (size < 8) return false;
      offset += size;
    }
  } finally {
    await file.close();
  }
}

/**
 * Mean volume of the audio in dB (ffmpeg's volumedetect): -91 dB is digital silence,
 * speech or a test tone sits around -20 to -40.
 */
export async function meanVolumeDb(
  path: string,
  window?: { start: number; seconds: number },
): Promise<number> {
  const range = window ? ['-ss', String(window.start), '-t', String(window.seconds)] : [];
  const { stderr } = await run(
    'ffmpeg',
    [
      '-hide_banner',
      '-nostdin',
      ...range,
      '-i',
      path,
      '-map',
      '0:a:0',
      '-af',
      'volumedetect',
      '-f',
      'null',
      '-',
    ],
    { maxBuffer: MAX_BUFFER },
  );
  const match = /mean_volume:\s*(-?[\d.]+|-inf) dB/.exec(stderr);
  if (!match) throw new Error(`no volumedetect result for ${path}`);
  return match[1] === '-inf' ? -Infinity : Number(match[1]);
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * One video frame at `atSeconds` as 8-bit luma, width x height, in full range (0-255,
 * as displayed: black 0, white 255), not the limited 16-235 of the stream.
 */
export async function lumaFrame(
  path: string,
  atSeconds: number,
): Promise<{ width: number; height: number; luma: Buffer }> {
  const video = videoStream(await probeMedia(path));
  if (!video?.width || !video.height) throw new Error(`${path} has no video`);
  const { stdout } = await run(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-ss', String(atSeconds), '-i', path],
      ...['-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'],
    ],
    { encoding: 'buffer', maxBuffer: MAX_BUFFER },
  );
  if (stdout.length !== video.width * video.height) throw new Error(`no frame of ${path} at ${atSeconds}s`);
  return { width: video.width, height: video.height, luma: stdout };
}

/** Mean and standard deviation of the luma of a region of the frame at `atSeconds`. */
export async function regionLuma(
  path: string,
  atSeconds: number,
  region: Region,
): Promise<{ mean: number; stdDev: number }> {
  const frame = await lumaFrame(path, atSeconds);
  let sum = 0;
  let squares = 0;
  for (let y = region.y; y < region.y + region.height; y++) {
    for (let x = region.x; x < region.x + region.width; x++) {
      const v = frame.luma[y * frame.width + x];
      sum += v;
      squares += v * v;
    }
  }
  const n = region.width * region.height;
  const mean = sum / n;
  return { mean, stdDev: Math.sqrt(Math.max(0, squares / n - mean * mean)) };
}

export async function meanLuma(path: string, atSeconds: number, region: Region): Promise<number> {
  return (await regionLuma(path, atSeconds, region)).mean;
}

/** Frames per second counted by decoding (not the container's claim). */
export async function countedFps(path: string): Promise<number> {
  const { stdout } = await run(
    'ffprobe',
    [
      ...['-v', 'error', '-select_streams', 'v:0', '-count_frames'],
      ...['-show_entries', 'stream=nb_read_frames:format=duration', '-of', 'json', path],
    ],
    { maxBuffer: MAX_BUFFER },
  );
  const json = JSON.parse(stdout) as { streams: { nb_read_frames: string }[]; format: { duration: string } };
  return Number(json.streams[0].nb_read_frames) / Number(json.format.duration);
}

/** Whether an HLS playlist is closed (#EXT-X-ENDLIST) and the segments it lists. */
export async function readPlaylist(
  path: string,
): Promise<{ ended: boolean; segments: string[]; totalSeconds: number }> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(path, 'utf8');
  const lines = text.split('\n').map((l) => l.trim());
  let totalSeconds = 0;
  for (const l of lines) if (l.startsWith('#EXTINF:')) totalSeconds += parseFloat(l.slice(8));
  return {
    ended: lines.includes('#EXT-X-ENDLIST'),
    segments: lines.filter((l) => l && !l.startsWith('#')),
    totalSeconds,
  };
}
