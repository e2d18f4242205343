import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { RunningAuthService, startAuthService } from '../../support/auth-service.harness';
import { EventTap } from '../../support/event-tap';
import { RunningRecordingService, startRecordingService } from '../../support/recording-service.harness';
import { freePort } from '../../support/test-env';
import { S3RecordingStorage } from '../../../apps/recording/src/storage/s3-recording-storage';
import { Org, RecordingTestKit, served, sleep } from './recording-test-kit';

// Recordings kept in an S3-compatible object store: a local S3-protocol server (s3rver, on a
// loopback port, files in a temp dir) stands in for the store. Each part is uploaded when it
// completes and served from the bucket through the service, ranges included; deleting a
// recording deletes its objects; a bucket that does not exist fails only the recording whose
// part could not be stored.

const BUCKET = 'confer-recordings';
const KEYS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

describe('recording storage in an S3-compatible object store', () => {
  jest.setTimeout(120_000);
  let auth: RunningAuthService;
  let s3rver: S3rver;
  let s3Dir: string;
  let endpoint: string;
  let s3: S3Client;
  let recording: RunningRecordingService;
  let kit: RecordingTestKit;
  let org: Org;

  beforeAll(async () => {
    s3Dir = mkdtempSync(join(tmpdir(), 'confer-s3rver-'));
    const port = await freePort();
    s3rver = new S3rver({
      address: '127.0.0.1',
      port,
      directory: s3Dir,
      silent: true,
      configureBuckets: [{ name: BUCKET, configs: [] }],
    });
    await s3rver.run();
    endpoint = `http://127.0.0.1:${port}`;
    s3 = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: KEYS,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    auth = await startAuthService();
    recording = await startRecordingService(auth, s3Env(BUCKET));
    kit = await RecordingTestKit.open(auth);
    org = await kit.organisation('Stored in S3');
  });

  afterAll(async () => {
    await kit?.close();
    await recording?.close();
    await auth?.close();
    s3?.destroy();
    await s3rver?.close();
    await rm(s3Dir, { recursive: true, force: true });
  });

  function s3Env(bucket: string) {
    return {
      RECORDING_CONSUMER: `rec_${randomBytes(4).toString('hex')}`,
      RECORDING_STORAGE: 's3',
      RECORDING_S3_ENDPOINT: endpoint,
      RECORDING_S3_BUCKET: bucket,
      RECORDING_S3_ACCESS_KEY_ID: KEYS.accessKeyId,
      RECORDING_S3_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
    };
  }

  async function objectsOf(fileId: string): Promise<string[]> {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${fileId}/` }));
    return (listed.Contents ?? []).map((o) => o.Key!.slice(fileId.length + 1)).sort();
  }

  it('uploads a part as it completes and serves it from the bucket, ranges included; DELETE removes it', async () => {
    await kit.liveRoom(recording, org, 'stored-in-s3');
    const started = await kit.start(recording, org, 'stored-in-s3');
    await sleep(4000);
    await kit.stop(recording, org, started.id);
    const ready = await kit.ended(recording, org, started.id);
    expect(ready).toMatchObject({ status: 'ready', failureReason: null });
    expect(ready.parts).toHaveLength(1);
    expect(ready.parts[0]).toMatchObject({ status: 'ready', interrupted: false });
    const part = ready.parts[0];

    // In the bucket, under the part's file id; the part's work directory is gone.
    const [row] = (await recording.db.query(
      `SELECT file_id, work_dir, bytes FROM recording_parts WHERE recording_id = $1`,
      [started.id],
    )) as { file_id: string; work_dir: string; bytes: string }[];
    const objects = await objectsOf(row.file_id);
    expect(objects).toEqual(expect.arrayContaining(['index.m3u8', 'segment-00000.ts', 'video.mp4']));
    expect(existsSync(row.work_dir)).toBe(false);
    const stored = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${row.file_id}/video.mp4` }));
    expect(stored.ContentType).toBe('video/mp4');
    const mp4Bytes = Number(stored.ContentLength);
    expect(mp4Bytes).toBeGreaterThan(10_000);
    expect(Number(row.bytes)).toBeGreaterThan(mp4Bytes);
    await stored.Body?.transformToByteArray();

    // Served through the service: a range answers 206 with the store's content-range.
    const ranged = await fetch(served(recording, part.mp4Url!), { headers: { range: 'bytes=0-99' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 0-99/${mp4Bytes}`);
    expect(ranged.headers.get('content-length')).toBe('100');
    expect(ranged.headers.get('content-type')).toBe('video/mp4');
    const head = Buffer.from(await ranged.arrayBuffer());
    expect(head).toHaveLength(100);
    expect(head.subarray(4, 8).toString('latin1')).toBe('ftyp');
    // Fast start: the index is near the front, where a player reading ranges finds it.
    const tail = await fetch(served(recording, part.mp4Url!), {
      headers: { range: `bytes=${mp4Bytes - 10}-` },
    });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe(`bytes ${mp4Bytes - 10}-${mp4Bytes - 1}/${mp4Bytes}`);
    expect((await tail.arrayBuffer()).byteLength).toBe(10);

    const whole = await fetch(served(recording, part.mp4Url!));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('content-length')).toBe(String(mp4Bytes));
    expect((await whole.arrayBuffer()).byteLength).toBe(mp4Bytes);
    const etag = whole.headers.get('etag');
    expect(etag).toEqual(expect.any(String));
    const unchanged = await fetch(served(recording, part.mp4Url!), { headers: { 'if-none-match': etag! } });
    expect(unchanged.status).toBe(304);
    const headOnly = await fetch(served(recording, part.mp4Url!), { method: 'HEAD' });
    expect(headOnly.status).toBe(200);
    expect(headOnly.headers.get('content-type')).toBe('video/mp4');
    expect(headOnly.headers.get('content-length')).toBe(String(mp4Bytes));
    const beyond = await fetch(served(recording, part.mp4Url!), {
      headers: { range: `bytes=${mp4Bytes + 10}-` },
    });
    expect(beyond.status).toBe(416);

    const playlist = await fetch(served(recording, part.hlsUrl!));
    expect(playlist.status).toBe(200);
    expect(playlist.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    const text = await playlist.text();
    expect(text).toMatch(/^#EXTM3U/);
    expect(text).toContain('#EXT-X-ENDLIST');
    const segment = text.split('\n').find((line) => line.startsWith('segment-'))!;
    const segmentResponse = await fetch(served(recording, new URL(segment, part.hlsUrl!).href));
    expect(segmentResponse.status).toBe(200);
    expect(segmentResponse.headers.get('content-type')).toBe('video/mp2t');
    expect(
      (await fetch(served(recording, part.hlsUrl!.replace('index.m3u8', 'segment-09999.ts')))).status,
    ).toBe(404);

    // Signed addresses read the playlist from the bucket to sign its segments.
    await kit.settings(recording, org, { signedUrls: true });
    const signed = await kit.get(recording, org, started.id);
    const signedPlaylist = await (await fetch(served(recording, signed.parts[0].hlsUrl!))).text();
    expect(signedPlaylist).toMatch(/^segment-00000\.ts\?expires=[0-9]+&signature=/m);
    await kit.settings(recording, org, { signedUrls: false });

    expect((await kit.api(recording, org, `/v1/recordings/${started.id}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect(await objectsOf(row.file_id)).toEqual([]);
    expect((await fetch(served(recording, part.mp4Url!))).status).toBe(404);
    expect(await kit.get(recording, org, started.id)).toMatchObject({ deletedAt: expect.any(String) });
  });

  it('uploads a large file in pieces and deletes every object of a part', async () => {
    const storage = new S3RecordingStorage(s3, { bucket: BUCKET, multipartBytes: 5 * 1024 * 1024 });
    const dir = mkdtempSync(join(tmpdir(), 'confer-s3-part-'));
    const mp4 = randomBytes(11 * 1024 * 1024 + 123);
    writeFileSync(join(dir, 'video.mp4'), mp4);
    writeFileSync(join(dir, 'index.m3u8'), '#EXTM3U\n');
    const key = `multipart${randomBytes(8).toString('hex')}`;
    expect(await storage.storePart(dir, key)).toBe(mp4.length + 8);
    expect(existsSync(dir)).toBe(false);
    const back = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${key}/video.mp4` }));
    expect(Buffer.from(await back.Body!.transformToByteArray()).equals(mp4)).toBe(true);
    expect(await storage.readText(key, 'index.m3u8')).toBe('#EXTM3U\n');
    expect(await storage.readText(key, 'segment-00001.ts')).toBeNull();
    await storage.deletePart(key);
    expect(await objectsOf(key)).toEqual([]);
  });

  it('fails only the recording whose part cannot be stored (a bucket that does not exist), with a reason and an event', async () => {
    // A second replica on the same database whose configured bucket does not exist.
    const broken = await startRecordingService(auth, s3Env('no-such-bucket'), { schema: recording.schema });
    const failedTap = await EventTap.open(auth.natsUrl, 'confer.evt.*.*.recording.failed.v1');
    try {
      await kit.settings(recording, org, { maxPartSeconds: 3 });
      await kit.liveRoom(recording, org, 's3-healthy');
      await kit.liveRoom(recording, org, 's3-broken');
      const healthy = await kit.start(recording, org, 's3-healthy');
      const doomed = await kit.start(broken, org, 's3-broken');

      // Its first part completes after 3 s and cannot be uploaded: the recording fails then.
      const failed = await kit.ended(broken, org, doomed.id, 20_000);
      expect(failed.status).toBe('failed');
      expect(failed.failureReason).toMatch(/^could not store part 1: could not upload .* no-such-bucket/);
      expect(failed.failureReason).toContain('NoSuchBucket');
      expect(failed.parts[0]).toMatchObject({ partNumber: 1, status: 'failed' });
      const [event] = await failedTap.waitFor((events) =>
        events.some((e) => (e.data as { recordingId: string }).recordingId === doomed.id),
      );
      expect(event.data).toMatchObject({ recordingId: doomed.id, reason: failed.failureReason });

      // The other recording goes on, part after part, and both replicas stay ready.
      await sleep(4000);
      expect((await kit.get(recording, org, healthy.id)).status).toBe('recording');
      expect((await fetch(`${broken.baseUrl}/readyz`)).status).toBe(200);
      expect((await fetch(`${recording.baseUrl}/readyz`)).status).toBe(200);
      await kit.stop(recording, org, healthy.id);
      const ready = await kit.ended(recording, org, healthy.id);
      expect(ready.status).toBe('ready');
      expect(ready.parts.length).toBeGreaterThanOrEqual(2);
      expect(ready.parts.every((p) => p.status === 'ready')).toBe(true);
    } finally {
      await kit.settings(recording, org, { maxPartSeconds: 14400 });
      await failedTap.close();
      await broken.close({ keepSchema: true });
    }
  });
});
