import { buildEvent, RoomEnded, RoomStarted } from '@confer/contracts';
import { LiveConferences } from '../../../apps/webhooks/src/conferences/live-conferences';
import { RunningWebhooksService, startWebhooksService } from '../../support/webhooks-service.harness';
import { eventually, startWebhooksFixture, WebhooksFixture } from './webhooks-fixture';

/**
 * The conferences a Glayr subscription may name are the live ones. A room's start and end
 * can be taken in out of order (an event a dead replica held comes back later) or at the
 * same moment by two replicas: a finished conference must not stay listed as live.
 */
describe('webhooks: live conferences', () => {
  let f: WebhooksFixture;
  let w: RunningWebhooksService;

  beforeAll(async () => {
    f = await startWebhooksFixture();
    w = await startWebhooksService(f.auth);
  });
  afterAll(async () => {
    await w?.close();
    await f?.close();
  });

  const life = (roomId: string, conferenceNumber: string) => {
    const startedAt = new Date(Date.now() - 60000).toISOString();
    const base = { source: '/confer/rooms', orgId: f.org.orgId, roomId };
    return {
      started: buildEvent(RoomStarted, {
        ...base,
        data: { roomId, conferenceNumber, startedAt, mediaServer: 'media-1' },
      }),
      ended: buildEvent(RoomEnded, {
        ...base,
        data: { roomId, conferenceNumber, startedAt, endedAt: new Date().toISOString(), reason: 'empty' },
      }),
    };
  };
  const subscribeTo = (conferenceId: string) =>
    fetch(`${w.baseUrl}/v1/conf/${conferenceId}/subscribe`, {
      method: 'POST',
      headers: { authorization: f.accessToken, 'content-type': 'application/json' },
      body: JSON.stringify({ api_endpoint: 'http://127.0.0.1:9/glayr' }),
    });

  it('keeps a conference ended when its start is taken in after its end', async () => {
    const late = life('conf-late-start', '55500001');
    const live = life('conf-live', '55500002');
    await f.publish(RoomEnded, late.ended);
    await f.publish(RoomStarted, late.started); // redelivered after the end
    await f.publish(RoomStarted, live.started); // taken in after both: they were recorded
    await eventually(async () => (await subscribeTo('55500002')).status === 200);
    expect((await subscribeTo('55500001')).status).toBe(404);
    expect((await subscribeTo('conf-late-start')).status).toBe(404);

    // A later life of the same room is live again, and its end ends it.
    const next = life('conf-late-start', '55500003');
    const startedAt = new Date().toISOString();
    await f.publish(RoomStarted, { ...next.started, data: { ...next.started.data, startedAt } });
    await eventually(async () => (await subscribeTo('55500003')).status === 200);
    await f.publish(RoomEnded, { ...next.ended, data: { ...next.ended.data, startedAt } });
    await eventually(async () => (await subscribeTo('55500003')).status === 404);
  });

  it('ends a conference whose start and end are recorded at the same moment by two replicas', async () => {
    const conferences = w.app.get(LiveConferences);
    const c = { orgId: f.org.orgId, roomId: 'conf-race', conferenceNumber: '55500004' };
    const startedAt = new Date().toISOString();
    const starting = w.db.createQueryRunner();
    const ending = w.db.createQueryRunner();
    try {
      await starting.startTransaction();
      await conferences.started(starting.manager, c, startedAt);
      await ending.startTransaction();
      // The end is recorded while the start's transaction is still open.
      const ended = conferences.ended(ending.manager, c, startedAt, new Date().toISOString());
      await new Promise((r) => setTimeout(r, 200));
      await starting.commitTransaction();
      await ended;
      await ending.commitTransaction();
    } finally {
      await starting.release();
      await ending.release();
    }
    expect(await conferences.find(c.orgId, c.conferenceNumber)).toBeUndefined();
    expect(await conferences.find(c.orgId, c.roomId)).toBeUndefined();
  });
});
