import { createHash, randomUUID } from 'crypto';
import { Receiver, until } from './receiver';
import { RunningWebhooksService, startWebhooksService } from '../../support/webhooks-service.harness';
import { eventually, startWebhooksFixture, WebhooksFixture } from './webhooks-fixture';

/**
 * Deliveries whose subscription was deleted are never sent, and the log says so: "failed,
 * subscription deleted", also for those still held (waiting for their number) at the
 * deletion, and for those recorded at the very moment of it; never "expired", which
 * means a subscription's time ran out.
 */
describe('webhooks: deliveries of a deleted subscription', () => {
  let f: WebhooksFixture;
  let w: RunningWebhooksService;

  beforeAll(async () => {
    f = await startWebhooksFixture();
    w = await startWebhooksService(f.auth, { WEBHOOK_EXPIRY_SWEEP_MS: '100' });
  });
  afterAll(async () => {
    await w?.close();
    await f?.close();
  });

  /** A delivery as the intake records it, held (its event beyond any floor) or pending with a number. */
  const record = async (subscriptionIds: string[], lane: string, seq: number | null) => {
    const rows = (await w.db.query(
      `INSERT INTO deliveries (event_id, event_type, target, kind, org_id, lane, stream_seq, status, seq,
                               subscription_ids, next_attempt_at)
       VALUES ($1, 'peer.joined', 'http://127.0.0.1:9/orphan', 'event', $2, $3, 999999999999, $4, $5, $6::uuid[],
               now() + interval '1 hour')
       RETURNING id`,
      [randomUUID(), f.org.orgId, lane, seq === null ? 'held' : 'pending', seq, subscriptionIds],
    )) as Array<{ id: string }>;
    return rows[0].id;
  };
  const statusOf = async (id: string) =>
    (
      (await w.db.query(`SELECT status, seq, last_error FROM deliveries WHERE id = $1`, [id])) as Array<{
        status: string;
        seq: string | null;
        last_error: string | null;
      }>
    )[0];

  it('fails the held and pending deliveries of a subscription when it is deleted', async () => {
    const { id } = await f.subscribe(w.baseUrl, { url: 'http://127.0.0.1:9/orphan', roomId: 'orphan-room' });
    const held = await record([id], 'orphan-room', null);
    const pending = await record([id], 'orphan-room', 1);
    const answer = await fetch(`${w.baseUrl}/v1/orgs/${f.org.orgId}/webhooks/subscriptions/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${f.accessToken}` },
    });
    expect(answer.status).toBe(204);
    expect(await statusOf(held)).toEqual({ status: 'failed', seq: null, last_error: 'subscription deleted' });
    expect(await statusOf(pending)).toMatchObject({ status: 'failed', last_error: 'subscription deleted' });
  });

  it('says "subscription deleted", not "expired", of deliveries recorded as their subscription was deleted', async () => {
    const gone = randomUUID(); // a subscription deleted before these rows were committed
    const held = await record([gone], 'orphan-race', null);
    const pending = await record([gone], 'orphan-race', 1);
    await eventually(
      async () => (await statusOf(held)).status !== 'held' && (await statusOf(pending)).status !== 'pending',
    );
    expect(await statusOf(held)).toEqual({ status: 'failed', seq: null, last_error: 'subscription deleted' });
    expect(await statusOf(pending)).toMatchObject({ status: 'failed', last_error: 'subscription deleted' });
  });
});

describe('webhooks: a delivery settled before it was numbered, sent again', () => {
  let f: WebhooksFixture;
  let w: RunningWebhooksService;
  let receiver: Receiver;

  beforeAll(async () => {
    f = await startWebhooksFixture();
    w = await startWebhooksService(f.auth);
    receiver = await Receiver.open();
  });
  afterAll(async () => {
    await receiver?.close();
    await w?.close();
    await f?.close();
  });

  it('is numbered first, then sent', async () => {
    const url = `${receiver.url}/again`;
    const { id } = await f.subscribe(w.baseUrl, { url, roomId: 'again-room' });
    const eventId = randomUUID();
    const body = JSON.stringify({ id: eventId, type: 'io.confer.peer.joined', roomid: 'again-room' });
    await w.db.query(`INSERT INTO event_bodies (event_id, body, body_sha256) VALUES ($1, $2, $3)`, [
      eventId,
      body,
      createHash('sha256').update(body).digest('base64url'),
    ]);
    // Settled while held (its subscription disabled then), its event below the ack floor.
    const [{ id: deliveryId }] = (await w.db.query(
      `INSERT INTO deliveries (event_id, event_type, target, kind, org_id, lane, stream_seq, status, seq,
                               subscription_ids, last_error)
       VALUES ($1, 'peer.joined', $2, 'event', $3, 'again-room', 0, 'failed', NULL, $4::uuid[],
               'subscription disabled')
       RETURNING id`,
      [eventId, url, f.org.orgId, [id]],
    )) as Array<{ id: string }>;
    const answer = await fetch(
      `${w.baseUrl}/v1/orgs/${f.org.orgId}/webhooks/subscriptions/${id}/deliveries/${deliveryId}/redeliver`,
      { method: 'POST', headers: { authorization: `Bearer ${f.accessToken}` } },
    );
    expect(answer.status).toBe(202);
    const got = await until(() => receiver.received.find((r) => r.path === '/again'));
    expect(got.headers['confer-event-id']).toBe(eventId);
    expect(got.headers['confer-sequence']).toBe('1');
    expect(got.body).toBe(body);
  });
});
