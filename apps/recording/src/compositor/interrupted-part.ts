import { readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CompletedPart,
  MP4_NAME,
  PART_INFO_NAME,
  PartInfo,
  PLAYLIST_NAME,
  SEGMENT_FILE,
} from './completed-part';
import { ffprobeBeside } from './composite-options';
import { runTool } from './ffmpeg-child';
import { formatClosedPlaylist, HlsPlaylist, parsePlaylist, playlistDuration } from './hls-playlist';
import { remuxToMp4 } from './mp4-remux';

export interface MediaTools {
  ffmpegPath?: string;
  ffprobePath?: string;
}

export interface InterruptedPartOptions extends MediaTools {
  /** When the part started, if its folder has no part.json (a part rebuilt from the store). */
  startedAt?: Date;
}

/**
 * Makes a part whose encoder did not end normally watchable: its playlist is closed
 * with every segment on disk that decodes, the last, partly written one included (a
 * crash loses at most the frames that were still in the encoder), and video.mp4 is
 * written from it. Null when nothing decodable was saved.
 *
 * After a SIGKILL of the service the encoder reads end-of-file, ends normally and the
 * playlist is already closed: only the MP4 is missing. After a SIGKILL of the encoder
 * itself (or a full disk) the playlist lacks its last segments and its end.
 */
export async function completeInterruptedPart(
  dir: string,
  tools: InterruptedPartOptions = {},
): Promise<CompletedPart | null> {
  const ffmpegPath = tools.ffmpegPath ?? 'ffmpeg';
  const ffprobePath = tools.ffprobePath ?? ffprobeBeside(tools.ffmpegPath);
  const playlistPath = join(dir, PLAYLIST_NAME);
  const listed = parsePlaylist(await readFile(playlistPath, 'utf8').catch(() => ''));
  const onDisk = (await readdir(dir).catch(() => [] as string[]))
    .filter((name) => SEGMENT_FILE.test(name))
    .sort((a, b) => segmentNumber(a) - segmentNumber(b));

  const durations = new Map(listed.segments.map((s) => [s.uri, s.durationSeconds]));
  const segments: HlsPlaylist['segments'] = [];
  for (const name of onDisk) {
    const known = durations.get(name);
    const durationSeconds = known ?? (await decodableSeconds(ffprobePath, join(dir, name)));
    // Segments are written one after the other: past the first unusable one there is nothing.
    if (!durationSeconds) break;
    segments.push({ uri: name, durationSeconds });
  }
  if (segments.length === 0) return null;

  const closed = formatClosedPlaylist(segments);
  const partial = `${playlistPath}.partial`;
  await writeFile(partial, closed);
  await rename(partial, playlistPath);
  const mp4 = join(dir, MP4_NAME);
  await remuxToMp4(ffmpegPath, playlistPath, mp4);

  const durationSeconds = playlistDuration({ segments, ended: true });
  const startedAt = await partStart(dir, segments, durationSeconds, tools.startedAt);
  return {
    dir,
    playlist: playlistPath,
    mp4,
    durationSeconds,
    startedAt,
    endedAt: new Date(startedAt.getTime() + durationSeconds * 1000),
    interrupted: true,
  };
}

function segmentNumber(name: string): number {
  return Number(SEGMENT_FILE.exec(name)?.[1] ?? 0);
}

/** Seconds of video a segment holds if at least one frame of it decodes; 0 otherwise. */
async function decodableSeconds(ffprobePath: string, path: string): Promise<number> {
  try {
    const out = await runTool(ffprobePath, [
      ...['-v', 'error', '-select_streams', 'v:0', '-count_frames'],
      ...['-show_entries', 'stream=nb_read_frames:format=duration', '-of', 'json', path],
    ]);
    const probe = JSON.parse(out) as {
      streams?: { nb_read_frames?: string }[];
      format?: { duration?: string };
    };
    const frames = Number(probe.streams?.[0]?.nb_read_frames ?? 0);
    const seconds = Number(probe.format?.duration ?? 0);
    return frames > 0 && seconds > 0 ? seconds : 0;
  } catch {
    return 0;
  }
}

/** From part.json; failing that, as known to the caller, or from when the last segment was written. */
async function partStart(
  dir: string,
  segments: HlsPlaylist['segments'],
  durationSeconds: number,
  known?: Date,
): Promise<Date> {
  try {
    const info = JSON.parse(await readFile(join(dir, PART_INFO_NAME), 'utf8')) as PartInfo;
    const at = new Date(info.startedAt);
    if (!Number.isNaN(at.getTime())) return at;
  } catch {
    // No part.json: a part written by something else, or lost.
  }
  if (known) return known;
  const last = await stat(join(dir, segments[segments.length - 1].uri));
  return new Date(last.mtimeMs - durationSeconds * 1000);
}
