import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EventConsumer } from '@confer/bus';
import { EVENTS_SUBJECTS, eventCatalogue } from '@confer/contracts';
import { TraceCarrier, traceCarrierOf } from '@confer/telemetry';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config/webhooks.config';
import { LiveConferences } from '../conferences/live-conferences';
import { SubscriptionsStore } from '../subscriptions/subscriptions.store';
import { bodySha256 } from '../delivery/body-hash';
import { DeliveryTokens } from '../delivery/delivery-tokens';
import { eventTypeOf, RoutableEvent, targetsFor } from './event-matching';
import { gcoreCallbackFor } from './gcore-callbacks';
import { IntakeBatcher } from './intake-batcher';
import { DeliveryRelease } from './release/delivery-release';

/** Events that update the conference projection or call a Gcore endpoint: one transaction each. */
function needsTransaction(event: RoutableEvent): boolean {
  const type = eventTypeOf(event.type);
  return type === 'room.started' || type === 'room.ended' || gcoreCallbackFor(event) !== undefined;
}

interface RoomData {
  roomId?: string;
  conferenceNumber?: string;
  startedAt?: string;
  endedAt?: string;
}

/** An event as the consumer handed it over, with its place in the stream. */
export interface TakenEvent {
  event: RoutableEvent;
  streamSeq: number;
  /** The trace the event came in (its processing span), kept with its deliveries. */
  trace?: TraceCarrier;
}

/**
 * Takes every call event from JetStream (one durable consumer of `confer.evt.>`) and
 * records one delivery per target URL, held until DeliveryRelease numbers it. Many events
 * are in hand at once and recorded together (IntakeBatcher); each is acknowledged only
 * after its batch commits, so a crash at any point loses nothing, and a redelivered event
 * finds its intake mark and records nothing twice.
 */
@Injectable()
export class EventIntake implements OnApplicationBootstrap {
  readonly #logger = new Logger(EventIntake.name);
  readonly #batcher: IntakeBatcher<TakenEvent>;

  constructor(
    private readonly consumer: EventConsumer,
    private readonly db: DataSource,
    private readonly subscriptions: SubscriptionsStore,
    private readonly conferences: LiveConferences,
    private readonly release: DeliveryRelease,
    private readonly tokens: DeliveryTokens,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
  ) {
    this.#batcher = new IntakeBatcher(
      async (batch) => void (await this.takeAll(batch)),
      async (one) => void (await this.takeAll([one])),
      config.WEBHOOKS_INTAKE_BATCH,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const inHand = this.config.WEBHOOKS_INTAKE_MAX_PENDING;
    await this.consumer.consume({
      durable: this.config.WEBHOOKS_CONSUMER,
      filterSubjects: [EVENTS_SUBJECTS],
      contracts: eventCatalogue,
      // Recording is cheap and idempotent: retry soon, and for long before dead-lettering.
      maxDeliver: 50,
      backoffMs: [200, 1000, 5000, 15000, 30000],
      // Many events in hand at once, across every replica: order is restored at release,
      // by stream sequence, below the ack floor (see DeliveryRelease and docs/webhooks.md).
      maxAckPending: inHand,
      concurrency: Math.min(inHand, 1024),
      batchSize: Math.min(inHand, 256),
      ackWaitMs: this.config.WEBHOOKS_INTAKE_ACK_WAIT_MS,
      // Run inside the event's processing span: its trace goes with the deliveries, so that
      // every attempt, a retry from the database included, continues it.
      handler: (event, ctx) =>
        this.#batcher.add({
          event: event as RoutableEvent,
          streamSeq: ctx.streamSequence,
          trace: traceCarrierOf(),
        }),
    });
  }

  /**
   * Records a batch: the common events (no projection, no Gcore callback) in one statement,
   * the others each in its transaction, in stream order. Then lets the release know how
   * far the stream has been recorded, and has the token of each event with deliveries
   * signed now, while the release waits for the ack floor, rather than when its first
   * delivery is about to be sent; answers how many deliveries were recorded.
   */
  async takeAll(batch: readonly TakenEvent[]): Promise<number> {
    const unique = [...new Map(batch.map((t) => [t.event.id, t])).values()].sort(
      (a, b) => a.streamSeq - b.streamSeq,
    );
    const plain = unique.filter((t) => !needsTransaction(t.event));
    const withDeliveries = plain.length > 0 ? await this.takeInOneStatement(plain) : [];
    let recorded = withDeliveries.reduce((n, e) => n + e.deliveries, 0);
    for (const t of unique) if (needsTransaction(t.event)) recorded += await this.takeInTransaction(t);
    for (const e of withDeliveries) this.tokens.prefetch(e.eventId, e.bodySha256);
    if (recorded > 0) {
      const last = unique[unique.length - 1].streamSeq;
      // After the handlers return, so the consumer's acks go out before the floor is asked.
      setImmediate(() => this.release.recorded(last));
    }
    return recorded;
  }

  /**
   * The common case for many events in one statement, atomic without BEGIN and COMMIT
   * round trips: mark the events taken, match the subscriptions (the rule of
   * `subscriptionMatches`, in SQL), store the bodies and record the deliveries, held.
   */
  private async takeInOneStatement(
    batch: readonly TakenEvent[],
  ): Promise<Array<{ eventId: string; bodySha256: string; deliveries: number }>> {
    const bodies = batch.map((t) => JSON.stringify(t.event));
    const rows = (await this.db.query(
      `WITH ev AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[],
                              $8::text[], $9::text[])
                  AS e(event_id, org_id, room_id, type, body, body_sha256, stream_seq, trace_parent, trace_state)),
       fresh AS (
         INSERT INTO intake_events (event_id, stream_seq) SELECT event_id, stream_seq FROM ev
         ON CONFLICT DO NOTHING RETURNING event_id),
       targets AS (
         SELECT e.event_id, s.endpoint, array_agg(s.id ORDER BY s.created_at, s.id) AS ids
           FROM ev e JOIN fresh f ON f.event_id = e.event_id
           JOIN subscriptions s
             ON s.org_id = e.org_id AND s.status = 'active' AND (s.expires_at IS NULL OR s.expires_at > now())
            AND (s.room_id IS NULL OR s.room_id = e.room_id)
            AND (s.event_types IS NULL OR e.type = ANY(s.event_types))
          GROUP BY e.event_id, s.endpoint),
       body AS (
         INSERT INTO event_bodies (event_id, body, body_sha256)
         SELECT e.event_id, e.body, e.body_sha256 FROM ev e
          WHERE EXISTS (SELECT 1 FROM targets t WHERE t.event_id = e.event_id)
         ON CONFLICT DO NOTHING),
       recorded AS (
         INSERT INTO deliveries (event_id, event_type, target, kind, org_id, lane, stream_seq, status, subscription_ids,
                                 trace_parent, trace_state)
         SELECT t.event_id, e.type, t.endpoint, 'event', e.org_id, coalesce(e.room_id, '_'), e.stream_seq, 'held', t.ids,
                e.trace_parent, e.trace_state
           FROM targets t JOIN ev e ON e.event_id = t.event_id
         ON CONFLICT (event_id, target) DO NOTHING RETURNING event_id)
       SELECT r.event_id, e.body_sha256, count(*)::int AS deliveries
         FROM recorded r JOIN ev e ON e.event_id = r.event_id GROUP BY r.event_id, e.body_sha256`,
      [
        batch.map((t) => t.event.id),
        batch.map((t) => t.event.orgid),
        batch.map((t) => t.event.roomid ?? null),
        batch.map((t) => eventTypeOf(t.event.type)),
        bodies,
        bodies.map((b) => bodySha256(b)),
        batch.map((t) => t.streamSeq),
        batch.map((t) => t.trace?.traceparent ?? null),
        batch.map((t) => t.trace?.tracestate ?? null),
      ],
    )) as Array<{ event_id: string; body_sha256: string; deliveries: number }>;
    this.#logger.debug({ msg: 'events recorded', events: batch.length, withDeliveries: rows.length });
    return rows.map((r) => ({ eventId: r.event_id, bodySha256: r.body_sha256, deliveries: r.deliveries }));
  }

  private async takeInTransaction({ event, streamSeq, trace }: TakenEvent): Promise<number> {
    return this.db.transaction(async (tx) => {
      const [fresh] = (await tx.query(
        `INSERT INTO intake_events (event_id, stream_seq) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
        [event.id, streamSeq],
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
        recorded += await this.recordAll(tx, event, streamSeq, type, lane, targets, trace);
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
          streamSeq,
          subscriptionIds: [],
          body: callback.body,
          bodySha256: bodySha256(callback.body),
          authorization: callback.authorization,
          trace,
        });
        recorded++;
      }
      return recorded;
    });
  }

  /** One statement for every endpoint of the event (a fan-out to 100 endpoints is one round trip). */
  private async recordAll(
    tx: EntityManager,
    event: RoutableEvent,
    streamSeq: number,
    type: string,
    lane: string,
    targets: ReadonlyArray<{ endpoint: string; subscriptionIds: string[] }>,
    trace: TraceCarrier | undefined,
  ): Promise<number> {
    const ids = Object.fromEntries(targets.map((t) => [t.endpoint, t.subscriptionIds]));
    const [, count] = (await tx.query(
      `INSERT INTO deliveries (event_id, event_type, target, kind, org_id, lane, stream_seq, status, subscription_ids,
                               trace_parent, trace_state)
       SELECT $2, $3, t, 'event', $4, $5, $6, 'held', ARRAY(SELECT jsonb_array_elements_text($7::jsonb -> t))::uuid[],
              $8, $9
         FROM unnest($1::text[]) AS u(t)
       ON CONFLICT (event_id, target) DO NOTHING`,
      [
        targets.map((t) => t.endpoint),
        event.id,
        type,
        event.orgid,
        lane,
        streamSeq,
        JSON.stringify(ids),
        trace?.traceparent ?? null,
        trace?.tracestate ?? null,
      ],
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
      streamSeq: number;
      subscriptionIds: string[];
      body?: string;
      bodySha256?: string;
      authorization?: string;
      trace?: TraceCarrier;
    },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO deliveries (event_id, event_type, target, kind, org_id, lane, stream_seq, status,
                               subscription_ids, body, body_sha256, auth_header, trace_parent, trace_state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'held', $8, $9, $10, $11, $12, $13)
       ON CONFLICT (event_id, target) DO NOTHING`,
      [
        d.eventId,
        d.type,
        d.target,
        d.kind,
        d.orgId,
        d.lane,
        d.streamSeq,
        d.subscriptionIds,
        d.body ?? null,
        d.bodySha256 ?? null,
        d.authorization ?? null,
        d.trace?.traceparent ?? null,
        d.trace?.tracestate ?? null,
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
    const now = new Date().toISOString();
    if (type === 'room.started') await this.conferences.started(tx, conference, data.startedAt ?? now);
    else await this.conferences.ended(tx, conference, data.startedAt ?? now, data.endedAt ?? now);
  }
}
