import { existsSync, mkdtempSync } from 'fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { runTool } from '../compositor/ffmpeg-child';
import { parsePlaylist } from '../compositor/hls-playlist';
import type { PartRow } from '../recordings/recording.rows';
import { LocalRecordingStorage } from '../storage/local-recording-storage';
import { PartRecovery } from './part-recovery';
import { SegmentShipper } from './segment-shipper';

// A part whose replica died is rebuilt from the store by whichever replica takes it over: the
// segments kept while it was recorded make its playlist and its MP4, even when the dead
// replica's work directory is gone. Real ffmpeg writes the segments (1 s each, a key frame
// each), a local store keeps them.

jest.setTimeout(60_000);

/** An encoder that wrote `seconds` of HLS into `dir` and stopped (the playlist is left open). */
async function recordedPart(dir: string, seconds: number): Promise<void> {
  await runTool('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc=size=320x180:rate=25:duration=${seconds}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-keyint_min', '25', '-sc_threshold', '0'],
    ...['-c:a', 'aac', '-f', 'hls', '-hls_time', '1', '-hls_playlist_type', 'event'],
    ...['-hls_segment_filename', join(dir, 'segment-%05d.ts'), join(dir, 'index.m3u8')],
  ]);
  // As a killed service leaves it: no end to the playlist, no MP4.
  const playlist = await readFile(join(dir, 'index.m3u8'), 'utf8');
  await writeFile(join(dir, 'index.m3u8'), playlist.replace('#EXT-X-ENDLIST\n', ''));
}

function partRow(workDir: string, fileId: string): PartRow {
  return {
    id: 'part-1',
    recording_id: 'rec-1',
    part_number: 1,
    video_id: '1',
    status: 'recording',
    started_at: new Date('2026-01-02T03:04:05.000Z'),
    ended_at: null,
    duration_seconds: null,
    interrupted: false,
    work_dir: workDir,
    file_id: fileId,
    bytes: null,
  };
}

describe('PartRecovery', () => {
  it("rebuilds an interrupted part from the store when the dead replica's work directory is gone", async () => {
    const root = mkdtempSync(join(tmpdir(), 'recovery-'));
    const deadWorkDir = join(root, 'dead', 'rec-1', 'part-1');
    await mkdir(deadWorkDir, { recursive: true });
    await recordedPart(deadWorkDir, 4);
    const storage = new LocalRecordingStorage(join(root, 'files'));
    const shipper = new SegmentShipper(storage, 'file1', deadWorkDir, () => undefined, { pollMs: 10 });
    while (shipper.segments < 4) await new Promise((r) => setTimeout(r, 10));
    await shipper.stop();
    await rm(join(root, 'dead'), { recursive: true, force: true });

    const recovery = new PartRecovery(storage, join(root, 'alive'));
    const completed = (await recovery.recover(partRow(deadWorkDir, 'file1')))!;
    expect(completed).toMatchObject({
      dir: join(root, 'alive', 'rec-1', 'part-1-recovered'),
      interrupted: true,
      startedAt: new Date('2026-01-02T03:04:05.000Z'),
    });
    expect(completed.durationSeconds).toBeCloseTo(4, 1);
    const playlist = parsePlaylist(await readFile(completed.playlist, 'utf8'));
    expect(playlist.ended).toBe(true);
    expect(playlist.segments.map((s) => s.uri)).toEqual([0, 1, 2, 3].map((n) => `segment-0000${n}.ts`));
    const probed = await runTool('ffprobe', [
      ...['-v', 'error', '-show_entries', 'stream=codec_name:format=duration', '-of', 'json', completed.mp4],
    ]);
    const media = JSON.parse(probed) as { streams: { codec_name: string }[]; format: { duration: string } };
    expect(media.streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
    expect(Number(media.format.duration)).toBeCloseTo(4, 0);

    // Stored whole: the segments already kept are not moved again (the same files stay).
    const segmentBefore = await stat(join(root, 'files', 'file1', 'segment-00000.ts'));
    await storage.storePart(completed.dir, 'file1');
    expect(existsSync(completed.dir)).toBe(false);
    expect((await readdir(join(root, 'files', 'file1'))).sort()).toEqual([
      'index.m3u8',
      'segment-00000.ts',
      'segment-00001.ts',
      'segment-00002.ts',
      'segment-00003.ts',
      'video.mp4',
    ]);
    expect((await stat(join(root, 'files', 'file1', 'segment-00000.ts'))).ino).toBe(segmentBefore.ino);
    expect(await storage.readText('file1', 'index.m3u8')).toContain('#EXT-X-ENDLIST');
  });

  it('uses the work directory when it is here and holds at least what the store has', async () => {
    const root = mkdtempSync(join(tmpdir(), 'recovery-'));
    const workDir = join(root, 'work', 'rec-1', 'part-1');
    await mkdir(workDir, { recursive: true });
    await recordedPart(workDir, 3);
    const storage = new LocalRecordingStorage(join(root, 'files'));
    // The store got the first segment only before the replica died.
    await storage.storeFile('file2', 'segment-00000.ts', { path: join(workDir, 'segment-00000.ts') });

    const completed = (await new PartRecovery(storage, join(root, 'other')).recover(
      partRow(workDir, 'file2'),
    ))!;
    expect(completed.dir).toBe(workDir);
    expect(completed.durationSeconds).toBeCloseTo(3, 1);
    expect(completed.interrupted).toBe(true);
  });

  it('answers null when nothing of the part was kept anywhere', async () => {
    const root = mkdtempSync(join(tmpdir(), 'recovery-'));
    const storage = new LocalRecordingStorage(join(root, 'files'));
    const recovery = new PartRecovery(storage, join(root, 'work'));
    expect(await recovery.recover(partRow(join(root, 'gone'), 'file3'))).toBeNull();
  });
});
