import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningAuthService, startAuthService } from '../../support/auth-service.harness';
import { EventTap } from '../../support/event-tap';
import { RunningRecordingService, startRecordingService } from '../../support/recording-service.harness';
import { Org, RecordingTestKit, sleep } from './recording-test-kit';

// A store that cannot be written fails the recordings whose parts it refuses, each with a
// reason and `recording.failed`, and nothing else: two replicas share one database, one of
// them with its storage directory under a regular file (ENOTDIR: this fails even for root,
// which ignores file modes). Recordings on the healthy replica go on and end ready, and the
// replica with the broken store stays up and answers.

describe('recording with an unwritable store', () => {
  jest.setTimeout(120_000);
  let auth: RunningAuthService;
  let healthy: RunningRecordingService;
  let broken: RunningRecordingService;
  let kit: RecordingTestKit;
  let failedTap: EventTap;
  let org: Org;
  let blockedDir: string;

  beforeAll(async () => {
    auth = await startAuthService();
    const consumer = `rec_${randomBytes(4).toString('hex')}`;
    healthy = await startRecordingService(auth, { RECORDING_CONSUMER: consumer });
    const blocker = join(mkdtempSync(join(tmpdir(), 'confer-unwritable-')), 'a-file');
    writeFileSync(blocker, 'not a directory');
    blockedDir = join(blocker, 'files');
    broken = await startRecordingService(
      auth,
      { RECORDING_CONSUMER: consumer, RECORDING_STORAGE_DIR: blockedDir },
      { schema: healthy.schema },
    );
    kit = await RecordingTestKit.open(auth);
    failedTap = await EventTap.open(auth.natsUrl, 'confer.evt.*.*.recording.failed.v1');
    org = await kit.organisation('Unwritable store');
  });

  afterAll(async () => {
    await failedTap?.close();
    await kit?.close();
    await broken?.close({ keepSchema: true });
    await healthy?.close();
    await auth?.close();
  });

  async function failedEventOf(recordingId: string) {
    const events = await failedTap.waitFor((all) =>
      all.some((e) => (e.data as { recordingId: string }).recordingId === recordingId),
    );
    return events.find((e) => (e.data as { recordingId: string }).recordingId === recordingId)!;
  }

  it('fails the recording whose part cannot be stored; the other goes on and the service stays ready', async () => {
    await kit.settings(healthy, org, { maxPartSeconds: 3 });
    await kit.liveRoom(healthy, org, 'kept-room');
    await kit.liveRoom(healthy, org, 'lost-room');
    const kept = await kit.start(healthy, org, 'kept-room');
    const lost = await kit.start(broken, org, 'lost-room');

    // Its first part completes after 3 s and cannot be stored: the recording fails then.
    const failed = await kit.ended(broken, org, lost.id, 20_000);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toBe(
      `could not store part 1: ENOTDIR: not a directory, mkdir '${blockedDir}'`,
    );
    expect(failed.parts[0]).toMatchObject({ partNumber: 1, status: 'failed', hlsUrl: null, mp4Url: null });
    const event = await failedEventOf(lost.id);
    expect(event.data).toMatchObject({
      recordingId: lost.id,
      roomId: 'lost-room',
      reason: failed.failureReason,
    });
    // What was recorded is not thrown away: it stays in the work directory.
    const [part] = (await healthy.db.query(
      `SELECT work_dir FROM recording_parts WHERE recording_id = $1 AND part_number = 1`,
      [lost.id],
    )) as { work_dir: string }[];
    expect(existsSync(join(part.work_dir, 'video.mp4'))).toBe(true);

    // The other recording goes on, part after part; both replicas are ready and answer.
    await sleep(4000);
    expect((await kit.get(healthy, org, kept.id)).status).toBe('recording');
    expect((await fetch(`${broken.baseUrl}/readyz`)).status).toBe(200);
    expect((await fetch(`${healthy.baseUrl}/readyz`)).status).toBe(200);
    expect((await kit.api(broken, org, '/v1/recordings?roomId=lost-room')).status).toBe(200);
    await kit.stop(healthy, org, kept.id);
    const ready = await kit.ended(healthy, org, kept.id);
    expect(ready.status).toBe('ready');
    expect(ready.parts.length).toBeGreaterThanOrEqual(2);
    expect(ready.parts.every((p) => p.status === 'ready')).toBe(true);
    expect(failedTap.events.map((e) => (e.data as { recordingId: string }).recordingId)).not.toContain(
      kept.id,
    );
  });

  it('fails a recording stopped before its first cut when its only part cannot be stored', async () => {
    await kit.settings(healthy, org, { maxPartSeconds: 14400 });
    await kit.liveRoom(healthy, org, 'short-lost-room');
    const lost = await kit.start(broken, org, 'short-lost-room');
    // Stopped before its first segment is finished (and sent to the store on its own).
    await sleep(1500);
    await kit.stop(broken, org, lost.id);
    const failed = await kit.ended(broken, org, lost.id);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toBe(
      `could not finish: could not store part 1: ENOTDIR: not a directory, mkdir '${blockedDir}'`,
    );
    expect((await failedEventOf(lost.id)).data).toMatchObject({ reason: failed.failureReason });
    expect((await fetch(`${broken.baseUrl}/readyz`)).status).toBe(200);
  });
});
