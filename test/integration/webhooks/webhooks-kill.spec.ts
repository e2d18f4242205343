import { randomUUID } from 'crypto';
import { AnyEventEnvelope, buildEvent, EventContract, PeerJoined, PeerLeft } from '@confer/contracts';
import {
  migratedWebhooksSchema,
  spawnWebhooksProcess,
  WebhooksProcess,
} from '../../support/webhooks-service.harness';
import { VerifyingReceiver } from './verifying-receiver';
import { eventually, startWebhooksFixture, WebhooksFixture } from './webhooks-fixture';

const ROOMS = 5;
const EVENTS = 300;
const ENDPOINTS = ['/a', '/b'];
const CONCURRENCY_PER_ENDPOINT = 8;

/** EVENTS peer.joined / peer.left events, round-robin over ROOMS rooms, each room's in its own order. */
function callEvents(orgId: string): Array<{ contract: EventContract; event: AnyEventEnvelope }> {
  const out: Array<{ contract: EventContract; event: AnyEventEnvelope }> = [];
  for (let i = 0; i < EVENTS; i++) {
    const roomId = `kill-room-${i % ROOMS}`;
    const n = Math.floor(i / ROOMS);
    const peer = {
      roomId,
      conferenceNumber: '1234567' + String(i % ROOMS),
      peerId: `peer-${Math.floor(n / 2)}`,
      connectionId: randomUUID(),
      role: 'participant' as const,
      face: 'call' as const,
      joinedAt: new Date().toISOString(),
    };
    const base = { source: '/confer/rooms', orgId, roomId };
    out.push(
      n % 2 === 0
        ? { contract: PeerJoined, event: buildEvent(PeerJoined, { ...base, data: peer }) }
        : {
            contract: PeerLeft,
            event: buildEvent(PeerLeft, {
              ...base,
              data: { ...peer, leftAt: new Date().toISOString(), reason: 'left' },
            }),
          },
    );
  }
  return out;
}

describe('webhooks service killed mid-stream', () => {
  let f: WebhooksFixture;
  let receiver: VerifyingReceiver;
  let schema: string;
  const processes: WebhooksProcess[] = [];

  beforeAll(async () => {
    f = await startWebhooksFixture();
    receiver = await VerifyingReceiver.open(f.auth.baseUrl, f.auth.env.PUBLIC_URL);
    schema = await migratedWebhooksSchema();
  });
  afterAll(async () => {
    for (const p of processes) await p.kill();
    await receiver?.close();
    await f?.sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await f?.close();
  });

  it('delivers every event at least once, duplicates only what was in flight, in room order', async () => {
    const options = {
      WEBHOOK_CONCURRENCY_PER_ENDPOINT: String(CONCURRENCY_PER_ENDPOINT),
      WEBHOOKS_INTAKE_ACK_WAIT_MS: '1500',
      WEBHOOK_TIMEOUT_MS: '1000',
    };
    // Receivers take a while to answer, so that the kill finds deliveries received but not recorded.
    receiver.delayMs = 30;
    const first = await spawnWebhooksProcess(f.auth, schema, options);
    processes.push(first);
    for (const path of ENDPOINTS) await f.subscribe(first.baseUrl, { url: `${receiver.url}${path}` });

    const events = callEvents(f.org.orgId);
    const order = new Map(events.map(({ event }, i) => [event.id, i]));
    // Publication runs on while the process is killed and replaced.
    const publishing = (async () => {
      for (let i = 0; i < events.length; i++) {
        await f.publish(events[i].contract, events[i].event);
        if (i % 10 === 9) await new Promise((r) => setTimeout(r, 15));
      }
    })();

    await eventually(() => receiver.deliveries.length >= (EVENTS * ENDPOINTS.length) / 4, 20000);
    await first.kill();
    const receivedBeforeKill = new Set(receiver.deliveries.map((d) => `${d.path} ${d.eventId}`));
    // What the dead process had sent without recording the outcome: still pending, already received.
    const pending = await f.sql.query<{ target: string; event_id: string }>(
      `SELECT target, event_id FROM ${schema}.deliveries WHERE status = 'pending'`,
    );
    const inFlightAtKill = new Set(
      pending.rows
        .map((r) => `${new URL(r.target).pathname} ${r.event_id}`)
        .filter((key) => receivedBeforeKill.has(key)),
    );
    expect(receivedBeforeKill.size).toBeLessThan(EVENTS * ENDPOINTS.length);
    expect(inFlightAtKill.size).toBeGreaterThan(0);

    const second = await spawnWebhooksProcess(f.auth, schema, options);
    processes.push(second);
    await publishing;
    await eventually(() => {
      const keys = new Set(receiver.deliveries.map((d) => `${d.path} ${d.eventId}`));
      return keys.size === EVENTS * ENDPOINTS.length;
    }, 45000);
    await new Promise((r) => setTimeout(r, 300)); // late duplicates, if any, arrive now

    expect(receiver.rejected).toEqual([]);
    // Every event reached every endpoint.
    for (const path of ENDPOINTS) {
      const got = new Set(receiver.at(path).map((d) => d.eventId));
      expect(events.filter(({ event }) => !got.has(event.id))).toEqual([]);
    }
    // Duplicates: only deliveries in flight at the kill, each at most once more.
    const counts = new Map<string, number>();
    for (const d of receiver.deliveries) {
      const key = `${d.path} ${d.eventId}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const duplicated = [...counts].filter(([, n]) => n > 1);
    for (const [key, n] of duplicated) {
      expect(inFlightAtKill.has(key)).toBe(true);
      expect(n).toBe(2);
    }
    // Per endpoint and room at most two: the delivery being sent and the success being written.
    const lanesInFlight = ENDPOINTS.length * Math.min(ROOMS, CONCURRENCY_PER_ENDPOINT);
    expect(inFlightAtKill.size).toBeLessThanOrEqual(2 * lanesInFlight);
    // Per endpoint and room: a receiver that drops what is not above the highest sequence
    // number it saw (a re-sent delivery) keeps 1, 2, 3, …, naming the room's events in
    // publication order.
    for (const path of ENDPOINTS)
      for (let r = 0; r < ROOMS; r++) {
        const lane = receiver.at(path).filter((d) => d.roomId === `kill-room-${r}`);
        const kept: typeof lane = [];
        for (const d of lane) {
          if (d.sequence > (kept.at(-1)?.sequence ?? 0)) kept.push(d);
          else expect(inFlightAtKill.has(`${path} ${d.eventId}`)).toBe(true);
        }
        expect(kept.map((d) => d.sequence)).toEqual(kept.map((_, i) => i + 1));
        const positions = kept.map((d) => order.get(d.eventId)!);
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
        expect(kept).toHaveLength(EVENTS / ROOMS);
      }
    // eslint-disable-next-line no-console
    console.log(
      `kill test: ${receiver.deliveries.length} deliveries for ${EVENTS * ENDPOINTS.length}, ` +
        `${receivedBeforeKill.size} before the kill, ${inFlightAtKill.size} in flight at the kill, ` +
        `${duplicated.length} duplicated`,
    );
  }, 90000);
});
