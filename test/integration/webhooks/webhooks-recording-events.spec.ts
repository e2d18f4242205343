import {
  AnyEventEnvelope,
  buildEvent,
  EventContract,
  RecordingDeleted,
  RecordingFailed,
  RecordingPartCompleted,
  RecordingReady,
  RecordingStarted,
  RecordingStopped,
} from '@confer/contracts';
import { RunningWebhooksService, startWebhooksService } from '../../support/webhooks-service.harness';
import { VerifyingReceiver } from './verifying-receiver';
import { eventually, startWebhooksFixture, WebhooksFixture } from './webhooks-fixture';

const ROOM = 'rec-room';

/** One recording's life, as the recording service announces it. */
function recordingLife(orgId: string): Array<{ contract: EventContract; event: AnyEventEnvelope }> {
  const ref = { recordingId: 'rec-1', roomId: ROOM };
  const at = (s: number) => new Date(Date.UTC(2026, 10, 24, 20, 0, s)).toISOString();
  const base = { source: '/confer/recording', orgId, roomId: ROOM };
  const life: Array<[EventContract, Record<string, unknown>]> = [
    [RecordingStarted, { ...ref, trigger: 'moderator', startedBy: 'host', startedAt: at(0) }],
    [
      RecordingPartCompleted,
      {
        ...ref,
        partId: 'part-1',
        partNumber: 1,
        startedAt: at(0),
        endedAt: at(30),
        durationSeconds: 30,
        interrupted: false,
      },
    ],
    [RecordingStopped, { ...ref, reason: 'requested', stoppedBy: 'host', stoppedAt: at(31) }],
    [RecordingReady, { ...ref, parts: 1, durationSeconds: 30, readyAt: at(40) }],
    [RecordingFailed, { ...ref, reason: 'storage full', failedAt: at(41) }],
    [RecordingDeleted, { ...ref, reason: 'retention', deletedAt: at(50) }],
  ];
  return life.map(([contract, data]) => ({
    contract,
    event: buildEvent(contract, { ...base, data } as never) as AnyEventEnvelope,
  }));
}

/**
 * Recording events are call events like any other: an organisation-wide subscription gets
 * every one of them, signed, in order; a type filter picks among them by name.
 */
describe('webhooks: recording events', () => {
  let f: WebhooksFixture;
  let w: RunningWebhooksService;
  let receiver: VerifyingReceiver;

  beforeAll(async () => {
    f = await startWebhooksFixture();
    w = await startWebhooksService(f.auth);
    receiver = await VerifyingReceiver.open(f.auth.baseUrl, f.auth.env.PUBLIC_URL);
  });
  afterAll(async () => {
    await receiver?.close();
    await w?.close();
    await f?.close();
  });

  it('delivers every recording event to an organisation-wide subscription, signed, and by type to a filtered one', async () => {
    await f.subscribe(w.baseUrl, { url: `${receiver.url}/all` });
    await f.subscribe(w.baseUrl, {
      url: `${receiver.url}/finished`,
      eventTypes: ['recording.part-completed', 'recording.ready'],
    });
    await f.subscribe(w.baseUrl, { url: `${receiver.url}/joins`, eventTypes: ['peer.joined'] });

    const life = recordingLife(f.org.orgId);
    for (const { contract, event } of life) await f.publish(contract, event);

    await eventually(() => receiver.at('/all').length >= life.length && receiver.at('/finished').length >= 2);
    await new Promise((r) => setTimeout(r, 300)); // anything wrongly sent arrives now

    // Verified like any delivery (RS256 token, audience, issuer, body hash, event id).
    expect(receiver.rejected).toEqual([]);
    const all = receiver.at('/all');
    expect(all.map((d) => d.eventId)).toEqual(life.map((l) => l.event.id));
    expect(all.map((d) => d.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(all.every((d) => d.roomId === ROOM)).toBe(true);
    const finished = receiver.at('/finished');
    expect(finished.map((d) => d.eventId)).toEqual([life[1].event.id, life[3].event.id]);
    expect(finished.map((d) => d.sequence)).toEqual([1, 2]);
    expect(receiver.at('/joins')).toEqual([]);
  }, 60000);
});
