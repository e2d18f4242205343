import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RetentionSweeper } from '../../../apps/recording/src/retention/retention-sweeper';
import { RunningAuthService, startAuthService } from '../../support/auth-service.harness';
import { EventTap } from '../../support/event-tap';
import { RunningRecordingService, startRecordingService } from '../../support/recording-service.harness';
import { Org, RecordingBody, RecordingTestKit, served, sleep } from './recording-test-kit';

// Retention: files of a recording past its organisation's retentionDays are deleted and the
// recording is marked so, with `recording.deleted` (reason retention). Only the clock is
// faked: the real sweeper of the running service is called with a `now` days ahead.

const DAY_MS = 86_400_000;

describe('recording retention', () => {
  jest.setTimeout(120_000);
  let auth: RunningAuthService;
  let recording: RunningRecordingService;
  let kit: RecordingTestKit;
  let deletedTap: EventTap;
  let org: Org;

  beforeAll(async () => {
    auth = await startAuthService();
    recording = await startRecordingService(auth, {
      RECORDING_CONSUMER: `rec_${randomBytes(4).toString('hex')}`,
    });
    kit = await RecordingTestKit.open(auth);
    deletedTap = await EventTap.open(auth.natsUrl, 'confer.evt.*.*.recording.deleted.v1');
    org = await kit.organisation('Retained');
  });

  afterAll(async () => {
    await deletedTap?.close();
    await kit?.close();
    await recording?.close();
    await auth?.close();
  });

  async function readyRecording(roomId: string): Promise<RecordingBody> {
    await kit.liveRoom(recording, org, roomId);
    const started = await kit.start(recording, org, roomId);
    await sleep(2500);
    await kit.stop(recording, org, started.id);
    const ready = await kit.ended(recording, org, started.id);
    expect(ready.status).toBe('ready');
    return ready;
  }

  async function fileIdsOf(recordingId: string): Promise<string[]> {
    const rows = (await recording.db.query(`SELECT file_id FROM recording_parts WHERE recording_id = $1`, [
      recordingId,
    ])) as { file_id: string }[];
    return rows.map((r) => r.file_id);
  }

  it('deletes the files of a recording past retentionDays and marks it deleted; a newer one is untouched', async () => {
    await kit.settings(recording, org, { retentionDays: 1 });
    const expiring = await readyRecording('kept-one-day');
    await kit.settings(recording, org, { retentionDays: 3 });
    const lasting = await readyRecording('kept-three-days');
    const storageDir = recording.config.RECORDING_STORAGE_DIR;
    const [expiringFiles] = await fileIdsOf(expiring.id);
    expect(existsSync(join(storageDir, expiringFiles, 'video.mp4'))).toBe(true);

    const sweeper = recording.app.get(RetentionSweeper);
    // A day later than now nothing has expired yet (retention counts from the start).
    expect(await sweeper.sweep(new Date(Date.now() - 60_000 + DAY_MS))).toBe(0);
    expect(await sweeper.sweep(new Date(Date.now() + 2 * DAY_MS))).toBe(1);

    // Gone: its files answer 404 and are no longer on disk; the recording stays listed, deleted.
    expect((await fetch(served(recording, expiring.parts[0].mp4Url!))).status).toBe(404);
    expect((await fetch(served(recording, expiring.parts[0].hlsUrl!))).status).toBe(404);
    expect(existsSync(join(storageDir, expiringFiles))).toBe(false);
    const deleted = await kit.get(recording, org, expiring.id);
    expect(deleted).toMatchObject({ status: 'ready', deletedAt: expect.any(String) });
    expect(deleted.parts[0]).toMatchObject({ mp4Url: null, hlsUrl: null });
    const [row] = (await recording.db.query(
      `SELECT delete_reason, deleted_at FROM recordings WHERE id = $1`,
      [expiring.id],
    )) as { delete_reason: string; deleted_at: Date }[];
    expect(row.delete_reason).toBe('retention');
    const [event] = (
      await deletedTap.waitFor((events) =>
        events.some((e) => (e.data as { recordingId: string }).recordingId === expiring.id),
      )
    ).filter((e) => (e.data as { recordingId: string }).recordingId === expiring.id);
    expect(event).toMatchObject({
      orgid: org.orgId,
      data: {
        recordingId: expiring.id,
        roomId: 'kept-one-day',
        reason: 'retention',
        deletedAt: expect.any(String),
      },
    });

    // The recording kept three days is untouched, and a second sweep finds nothing more.
    const untouched = await kit.get(recording, org, lasting.id);
    expect(untouched.deletedAt).toBeNull();
    expect((await fetch(served(recording, untouched.parts[0].mp4Url!))).status).toBe(200);
    expect(await sweeper.sweep(new Date(Date.now() + 2 * DAY_MS))).toBe(0);
    expect(
      deletedTap.events.filter((e) => (e.data as { recordingId: string }).recordingId === lasting.id),
    ).toEqual([]);

    // Past its own retention, it goes too.
    expect(await sweeper.sweep(new Date(Date.now() + 4 * DAY_MS))).toBe(1);
    expect((await fetch(served(recording, untouched.parts[0].mp4Url!))).status).toBe(404);
    await kit.settings(recording, org, { retentionDays: null });
  });
});
