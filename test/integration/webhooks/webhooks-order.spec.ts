import { randomUUID } from 'crypto';
import { AckPolicy, DeliverPolicy, JsMsg, nanos } from 'nats';
import { buildEvent, EVENTS_SUBJECTS, PeerJoined } from '@confer/contracts';
import { DEFAULT_EVENTS_STREAM } from '@confer/bus';
import {
  migratedWebhooksSchema,
  spawnWebhooksProcess,
  WebhooksProcess,
} from '../../support/webhooks-service.harness';
import { VerifyingReceiver } from './verifying-receiver';
import { eventually, startWebhooksFixture, WebhooksFixture } from './webhooks-fixture';

const ROOM = 'order-room';

const joined = (orgId: string, peerId: string) =>
  buildEvent(PeerJoined, {
    source: '/confer/rooms',
    orgId,
    roomId: ROOM,
    data: {
      roomId: ROOM,
      conferenceNumber: '12345678',
      peerId,
      connectionId: randomUUID(),
      role: 'participant',
      face: 'call',
      joinedAt: new Date().toISOString(),
    },
  });

/**
 * The intake holds many events at once. An event another consumer (a process that then
 * died, here the test itself) holds unacknowledged must not be overtaken by the events
 * behind it: their deliveries wait, held, until it is recorded, and then all go out
 * numbered in stream order.
 */
describe('webhooks intake order', () => {
  let f: WebhooksFixture;
  let receiver: VerifyingReceiver;
  let schema: string;
  let service: WebhooksProcess | undefined;

  beforeAll(async () => {
    f = await startWebhooksFixture();
    receiver = await VerifyingReceiver.open(f.auth.baseUrl, f.auth.env.PUBLIC_URL);
    schema = await migratedWebhooksSchema();
  });
  afterAll(async () => {
    await service?.kill();
    await receiver?.close();
    await f?.sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await f?.close();
  });

  it('holds the deliveries of later events of a room until an earlier one held elsewhere is recorded', async () => {
    // The service's durable consumer, made before the service starts so that the test can
    // take the first event from it, as a replica would before dying.
    const jsm = await f.nc.jetstreamManager();
    await jsm.consumers.add(DEFAULT_EVENTS_STREAM.name, {
      durable_name: schema,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      filter_subject: EVENTS_SUBJECTS,
      ack_wait: nanos(30000),
      max_ack_pending: 1000,
    });
    const first = joined(f.org.orgId, 'first');
    await f.publish(PeerJoined, first);
    const consumer = await f.nc.jetstream().consumers.get(DEFAULT_EVENTS_STREAM.name, schema);
    const held: JsMsg | null = await consumer.next({ expires: 5000 });
    expect(held && JSON.parse(new TextDecoder().decode(held.data)).id).toBe(first.id);

    service = await spawnWebhooksProcess(f.auth, schema, { WEBHOOKS_INTAKE_ACK_WAIT_MS: '30000' });
    await f.subscribe(service.baseUrl, { url: `${receiver.url}/order` });
    const later = [joined(f.org.orgId, 'second'), joined(f.org.orgId, 'third')];
    for (const event of later) await f.publish(PeerJoined, event);

    // The later events are recorded, held without a number, and nothing is sent.
    await eventually(async () => {
      const { rows } = await f.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${schema}.deliveries WHERE status = 'held' AND seq IS NULL`,
      );
      return rows[0].n === 2;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.deliveries).toEqual([]);

    // The holder gives the first event back (as the ack wait would after a crash).
    held!.nak();
    await eventually(() => receiver.deliveries.length >= 3, 20000);
    expect(receiver.rejected).toEqual([]);
    expect(receiver.deliveries.map((d) => [d.eventId, d.sequence])).toEqual([
      [first.id, 1],
      [later[0].id, 2],
      [later[1].id, 3],
    ]);
    const { rows } = await f.sql.query<{ event_id: string; seq: string }>(
      `SELECT event_id, seq FROM ${schema}.deliveries ORDER BY seq`,
    );
    expect(rows.map((r) => r.event_id)).toEqual([first.id, later[0].id, later[1].id]);
  }, 60000);
});
