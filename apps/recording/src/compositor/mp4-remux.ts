import { rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool } from './ffmpeg-child';

/**
 * Copies a part's segments into one MP4 without re-encoding (seconds of I/O, no CPU to
 * speak of), its index moved to the front so that it plays while downloading. Written
 * beside and renamed, so a video.mp4 that exists is always whole.
 */
export async function remuxToMp4(ffmpegPath: string, playlistPath: string, mp4Path: string): Promise<void> {
  const partial = join(mp4Path, '..', `.partial-${process.pid}-${Date.now()}.mp4`);
  try {
    await runTool(ffmpegPath, [
      ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-y'],
      ...['-i', playlistPath, '-map', '0:v?', '-map', '0:a?', '-c', 'copy'],
      ...['-bsf:a', 'aac_adtstoasc', '-movflags', '+faststart', '-f', 'mp4', partial],
    ]);
    await rename(partial, mp4Path);
  } catch (error) {
    await unlink(partial).catch(() => undefined);
    throw new Error(`Could not write ${mp4Path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
