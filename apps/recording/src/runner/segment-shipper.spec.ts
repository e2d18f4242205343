import { mkdtempSync } from 'fs';
import { appendFile, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { parsePlaylist } from '../compositor/hls-playlist';
import type { FileSource, RecordingStorage } from '../storage/recording-storage.port';
import { SegmentShipper } from './segment-shipper';

// The segments of a part being recorded go to the store as the encoder finishes them (names
// them in its playlist), in order, each followed by the playlist so far; a store that keeps
// refusing is reported once, after a few tries.

function fakeStorage() {
  const calls: { name: string; text?: string }[] = [];
  const storage = {
    storeFile: jest.fn(async (_key: string, name: string, source: FileSource) => {
      calls.push({ name, ...('text' in source ? { text: source.text } : {}) });
    }),
  };
  return { storage, calls, asStorage: storage as unknown as RecordingStorage };
}

const entry = (n: number) => `#EXTINF:2.000000,\nsegment-${String(n).padStart(5, '0')}.ts\n`;
const HEAD = '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-PLAYLIST-TYPE:EVENT\n';

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('SegmentShipper', () => {
  it('keeps each segment the playlist names, in order, then the playlist of what is kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipper-'));
    const { calls, asStorage } = fakeStorage();
    const failures: unknown[] = [];
    const shipper = new SegmentShipper(asStorage, 'file1', dir, (e) => failures.push(e), { pollMs: 20 });
    // segment-00002.ts is being written: not named yet, so not sent.
    await writeFile(join(dir, 'index.m3u8'), HEAD + entry(0) + entry(1));
    await waitFor(() => calls.some((c) => c.name === 'index.m3u8'));
    // A playlist read while the encoder writes it: the half-written last line is not a segment.
    await appendFile(join(dir, 'index.m3u8'), '#EXTINF:2.000000,\nsegment-000');
    await new Promise((r) => setTimeout(r, 100));
    await writeFile(join(dir, 'index.m3u8'), HEAD + entry(0) + entry(1) + entry(2));
    await waitFor(() => shipper.segments === 3 && calls.at(-1)?.name === 'index.m3u8');
    await shipper.stop();

    expect(calls.map((c) => c.name)).toEqual([
      'segment-00000.ts',
      'segment-00001.ts',
      'index.m3u8',
      'segment-00002.ts',
      'index.m3u8',
    ]);
    const stored = parsePlaylist(calls.at(-1)!.text!);
    expect(stored).toEqual({
      ended: false,
      segments: [0, 1, 2].map((n) => ({ uri: `segment-0000${n}.ts`, durationSeconds: 2 })),
    });
    expect(failures).toEqual([]);
  });

  it('tries a failing upload again, then reports the failure once and sends nothing more', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipper-'));
    const { storage, asStorage } = fakeStorage();
    storage.storeFile.mockRejectedValueOnce(new Error('503 Slow Down'));
    const failures: unknown[] = [];
    const shipper = new SegmentShipper(asStorage, 'file1', dir, (e) => failures.push(e), {
      pollMs: 20,
      retryMs: 10,
      attempts: 3,
    });
    await writeFile(join(dir, 'index.m3u8'), HEAD + entry(0));
    await waitFor(() => shipper.segments === 1);
    expect(failures).toEqual([]);

    storage.storeFile.mockRejectedValue(new Error('NoSuchBucket: The specified bucket does not exist'));
    const before = storage.storeFile.mock.calls.length;
    await writeFile(join(dir, 'index.m3u8'), HEAD + entry(0) + entry(1));
    await waitFor(() => failures.length === 1);
    expect((failures[0] as Error).message).toBe('NoSuchBucket: The specified bucket does not exist');
    await new Promise((r) => setTimeout(r, 100));
    // The playlist was sent once after segment 0; segment 1 was tried three times.
    expect(storage.storeFile.mock.calls.length - before).toBe(3);
    expect(failures).toHaveLength(1);
    await shipper.stop();
  });

  it('stops at once: an upload under way ends, nothing more is sent, no failure is reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipper-'));
    const { storage, asStorage } = fakeStorage();
    let release!: () => void;
    storage.storeFile.mockImplementationOnce(() => new Promise<void>((r) => (release = r)));
    storage.storeFile.mockRejectedValue(new Error('down'));
    const failures: unknown[] = [];
    const shipper = new SegmentShipper(asStorage, 'file1', dir, (e) => failures.push(e), {
      pollMs: 20,
      retryMs: 10_000,
    });
    await writeFile(join(dir, 'index.m3u8'), HEAD + entry(0) + entry(1));
    await waitFor(() => storage.storeFile.mock.calls.length === 1);
    const stopped = shipper.stop();
    release();
    await stopped;
    await new Promise((r) => setTimeout(r, 100));
    expect(storage.storeFile).toHaveBeenCalledTimes(1);
    expect(failures).toEqual([]);
  });
});
