import { mkdir, readdir, rm } from 'fs/promises';
import { join } from 'path';
import { CompletedPart, PLAYLIST_NAME, SEGMENT_FILE } from '../compositor/completed-part';
import { completeInterruptedPart, MediaTools } from '../compositor/interrupted-part';
import { PartRow } from '../recordings/recording.rows';
import { RecordingStorage } from '../storage/recording-storage.port';

/**
 * Rebuilds the part a dead replica was recording, for the replica taking the recording over.
 * The store is the source of truth: every segment finished was kept there as it was written
 * (see SegmentShipper), so the part is made from the segments found in the store — the
 * playlist closed over them, the MP4 remuxed from them, the duration theirs. The dead
 * replica's work directory is used instead only when it happens to be readable here (one
 * machine, a shared disk) and holds at least as much: it may hold the last segment or two
 * that had not reached the store yet.
 */
export class PartRecovery {
  constructor(
    private readonly storage: RecordingStorage,
    /** This replica's work directory, where a part is rebuilt. */
    private readonly workDir: string,
    private readonly tools: MediaTools = {},
  ) {}

  /**
   * The interrupted part, playable, or null when nothing of it was saved anywhere. Throws
   * when the store cannot be read (the take-over is then tried again).
   */
  async recover(part: PartRow): Promise<CompletedPart | null> {
    const kept = (await this.storage.listPart(part.file_id)).map((f) => f.name);
    const stored = kept.filter((name) => SEGMENT_FILE.test(name));
    const options = { ...this.tools, startedAt: part.started_at };
    const onDisk = await segmentsIn(part.work_dir);
    if (onDisk > 0 && onDisk >= stored.length) {
      const local = await completeInterruptedPart(part.work_dir, options).catch(() => null);
      if (local) return local;
    }
    if (stored.length === 0) return null;

    const dir = join(this.workDir, part.recording_id, `part-${part.part_number}-recovered`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    stored.sort((a, b) => segmentNumber(a) - segmentNumber(b));
    // The playlist kept with them gives their durations (no segment need be probed).
    for (const name of kept.includes(PLAYLIST_NAME) ? [PLAYLIST_NAME, ...stored] : stored)
      await this.storage.fetchFile(part.file_id, name, join(dir, name));
    // Segments that do not make a video (none decodes) leave nothing to keep, as on disk.
    const rebuilt = await completeInterruptedPart(dir, options).catch(() => null);
    if (!rebuilt) await rm(dir, { recursive: true, force: true });
    return rebuilt;
  }
}

async function segmentsIn(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((name) => SEGMENT_FILE.test(name)).length;
}

function segmentNumber(name: string): number {
  return Number(SEGMENT_FILE.exec(name)?.[1] ?? 0);
}
