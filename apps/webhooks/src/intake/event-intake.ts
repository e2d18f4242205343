import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EventConsumer } from '@confer/bus';
import { EVENTS_SUBJECTS, eventCatalogue } from '@confer/contracts';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config/webhooks.config';
import { LiveConferences } from '../conferences/live-conferences';
import { SubscriptionsStore } from '../subscriptions/subscriptions.store';
import { bodySha256 } from '../delivery/body-hash';
import { DeliveryWakeup } from '../delivery/delivery-wakeup';
import { eventTypeOf, RoutableEvent, targetsFor } from './event-matching';
import { gcoreCallbackFor } from './gcore-callbacks';

interface RoomData {
  roomId?: string;
  conferenceNumber?: string;
  startedAt?: string;
}

/**
 * Takes every call event from JetStream (one durable consumer of `confer.evt.>`) and,
 * in one transaction, records one delivery per target URL. The event is acknowledged
 * only after that transaction commits, so a crash at any point loses nothing; a
 * redelivered event finds its intake mark and records nothing twice.
 */
@Injectable()
export class EventIntake implements OnApplicationBootstrap {
  readonly #logger = new Logger(EventIntake.name);

  constructor(
    private readonly consumer: EventConsumer,
    private readonly db: DataSource,
    private readonly subscriptions: SubscriptionsStore,
    private readonly conferences: LiveConferences,
    private readonly wakeup: DeliveryWakeup,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.consume({
      durable: this.config.WEBHOOKS_CONSUMER,
      filterSubjects: [EVENTS_SUBJECTS],
      contracts: eventCatalogue,
      // Recording is cheap and idempotent: retry soon, and for long before dead-lettering.
      maxDeliver: 50,
      backoffMs: [200, 1000, 5000, 15000, 30000],
      // One event in hand at a time, across every replica: sequence numbers are given in
      // stream order, also when a process dies holding an event (it is handed out again
      // before any later one) and when several replicas consume. See docs/webhooks.md.
      maxAckPending: 1,
      ackWaitMs: this.config.WEBHOOKS_INTAKE_ACK_WAIT_MS,
      batchSize: 100,
      handler: async (event) => {
        const recorded = await this.take(event as RoutableEvent);
        if (recorded > 0) this.wakeup.wake();
      },
    });
  }

  /** Records the event's deliveries; answers how many were recorded (0 if taken before). */
  async take(event: RoutableEvent): Promise<number> {
    const type = eventTypeOf(event.type);
    if (type === 'room.started' || type === 'room.ended' || gcoreCallbackFor(event))
      return this.takeInTransaction(event);
    return this.takeInOneStatement(event, type);
  }

  /**
   * The common case (no projection, no Gcore callback) in one statement, atomic without
   * BEGIN and COMMIT round trips: mark the event taken, match the subscriptions (the rule
   * of `subscriptionMatches`, in SQL), store the body, take each endpoint's room sequence
   * and record the deliveries. The intake is serial, so its round trips bound its rate.
   */
  private async takeInOneStatement(event: RoutableEvent, type: string): Promise<number> {
    const body = JSON.stringify(event);
    const [row] = (await this.db.query(
      `WITH fresh AS (
         INSERT INTO intake_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING event_id),
       targets AS (
         SELECT s.endpoint, array_agg(s.id ORDER BY s.created_at, s.id) AS ids
           FROM subscriptions s, fresh
          WHERE s.org_id = $2 AND s.status = 'active' AND (s.expires_at IS NULL OR s.expires_at > now())
            AND (s.room_id IS NULL OR s.room_id = $3)
            AND (s.event_types IS NULL OR $4 = ANY(s.event_types))
          GROUP BY s.endpoint),
       body AS (
         INSERT INTO event_bodies (event_id, body, body_sha256)
         SELECT $1, $5, $6 WHERE EXISTS (SELECT 1 FROM targets) ON CONFLICT DO NOTHING),
       seqs AS (
         INSERT INTO lane_sequences AS l (target, lane, last_seq)
         SELECT endpoint, $7, 1 FROM targets ORDER BY endpoint
         ON CONFLICT (target, lane) DO UPDATE SET last_seq = l.last_seq + 1
         RETURNING target, last_seq),
       recorded AS (
         INSERT INTO deliveries (event_id, event_type, target, kind, org_id, lane, seq, subscription_ids)
         SELECT $1, $4, q.target, 'event', $2, $7, q.last_seq, t.ids
           FROM seqs q JOIN targets t ON t.endpoint = q.target
         ON CONFLICT (event_id, target) DO NOTHING RETURNING 1)
       SELECT (SELECT count(*) FROM recorded)::int AS recorded`,
      [event.id, event.orgid, event.roomid ?? null, type, body, bodySha256(body), event.roomid ?? '_'],
    )) as Array<{ recorded: number }>;
    return row?.recorded ?? 0;
  }

  private async takeInTransaction(event: RoutableEvent): Promise<number> {
    return this.db.transaction(async (tx) => {
      const [fresh] = (await tx.query(
        `INSERT INTO intake_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING event_id`,
        [event.id],
      )) as unknown[];
      if (!fresh) return 0;
      await this.project(tx, event);
      const now = new Date();
      const candidates = await this.subscriptions.candidates(tx, event.orgid, event.roomid);
      const targets = targetsFor(candidates, event, now);
      const lane = event.roomid ?? '_';
      const type = eventTypeOf(event.type);
      let recorded = 0;
      if (targets.length > 0) {
        const body = JSON.stringify(event);
        const hash = bodySha256(body);
        await tx.query(
          `INSERT INTO event_bodies (event_id, body, body_sha256) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
          [event.id, body, hash],
        );
        recorded += await this.recordAll(tx, event, type, lane, targets);
      }
      const callback = gcoreCallbackFor(event);
      if (callback) {
        await this.record(tx, {
          eventId: event.id,
          type,
          target: callback.target,
          kind: 'gcore',
          orgId: event.orgid,
          lane,
          subscriptionIds: [],
          body: callback.body,
          bodySha256: bodySha256(callback.body),
          authorization: callback.authorization,
        });
        recorded++;
      }
      return recorded;
    });
  }

  /**
   * One statement for every endpoint of the event: each endpoint's room sequence is taken
   * and its delivery recorded together (a fan-out to 100 endpoints is one round trip).
   */
  private async recordAll(
    tx: EntityManager,
    event: RoutableEvent,
    type: string,
    lane: string,
    targets: ReadonlyArray<{ endpoint: string; subscriptionIds: string[] }>,
  ): Promise<number> {
    const sorted = [...targets].sort((a, b) => (a.endpoint < b.endpoint ? -1 : 1));
    const ids = Object.fromEntries(sorted.map((t) => [t.endpoint, t.subscriptionIds]));
    const [, count] = (await tx.query(
      `WITH seqs AS (
         INSERT INTO lane_sequences (target, lane, last_seq)
         SELECT t, $2, 1 FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n
         ON CONFLICT (target, lane) DO UPDATE SET last_seq = lane_sequences.last_seq + 1
         RETURNING target, last_seq)
       INSERT INTO deliveries (event_id, event_type, target, kind, org_id, lane, seq, subscription_ids)
       SELECT $3, $4, s.target, 'event', $5, $2, s.last_seq,
              ARRAY(SELECT jsonb_array_elements_text($6::jsonb -> s.target))::uuid[]
         FROM seqs s
       ON CONFLICT (event_id, target) DO NOTHING`,
      [sorted.map((t) => t.endpoint), lane, event.id, type, event.orgid, JSON.stringify(ids)],
    )) as [unknown, number];
    this.#logger.debug({ msg: 'deliveries recorded', eventId: event.id, orgId: event.orgid, roomId: lane });
    return count;
  }

  private async record(
    tx: EntityManager,
    d: {
      eventId: string;
      type: string;
      target: string;
      kind: 'event' | 'gcore';
      orgId: string;
      lane: string;
      subscriptionIds: string[];
      body?: string;
      bodySha256?: string;
      authorization?: string;
    },
  ): Promise<void> {
    const [{ last_seq: seq }] = (await tx.query(
      `INSERT INTO lane_sequences (target, lane, last_seq) VALUES ($1, $2, 1)
       ON CONFLICT (target, lane) DO UPDATE SET last_seq = lane_sequences.last_seq + 1
       RETURNING last_seq`,
      [d.target, d.lane],
    )) as Array<{ last_seq: string }>;
    await tx.query(
      `INSERT INTO deliveries (event_id, event_type, target, kind, org_id, lane, seq, subscription_ids,
                               body, body_sha256, auth_header)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (event_id, target) DO NOTHING`,
      [
        d.eventId,
        d.type,
        d.target,
        d.kind,
        d.orgId,
        d.lane,
        seq,
        d.subscriptionIds,
        d.body ?? null,
        d.bodySha256 ?? null,
        d.authorization ?? null,
      ],
    );
    this.#logger.debug({ msg: 'delivery recorded', eventId: d.eventId, orgId: d.orgId, roomId: d.lane });
  }

  private async project(tx: EntityManager, event: RoutableEvent): Promise<void> {
    const type = eventTypeOf(event.type);
    if (type !== 'room.started' && type !== 'room.ended') return;
    const data = (event.data ?? {}) as RoomData;
    if (!data.roomId || !data.conferenceNumber) return;
    const conference = { orgId: event.orgid, roomId: data.roomId, conferenceNumber: data.conferenceNumber };
    if (type === 'room.started')
      await this.conferences.started(tx, conference, data.startedAt ?? new Date().toISOString());
    else await this.conferences.ended(tx, conference);
  }
}
