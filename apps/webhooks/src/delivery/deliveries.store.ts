import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TraceCarrier } from '@confer/telemetry';
import { EndpointDisabler } from '../subscriptions/endpoint-disabling/endpoint-disabler';

/** A delivery claimed for one attempt, with what the attempt needs. */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  target: string;
  kind: 'event' | 'gcore';
  lane: string;
  seq: string;
  attempts: number;
  body: string;
  bodySha256: string;
  authHeader: string | null;
  secrets: string[];
  /** The trace of the event (as the intake saw it), which every attempt continues. */
  trace?: TraceCarrier;
}

interface ClaimedRow {
  id: string;
  /** The delivery's place in its lane's run as picked: 1, 2, 3, … */
  n: string;
  event_id: string;
  target: string;
  kind: 'event' | 'gcore';
  lane: string;
  seq: string;
  attempts: number;
  body: string;
  body_sha256: string;
  auth_header: string | null;
  secrets: string[] | null;
  trace_parent: string | null;
  trace_state: string | null;
}

/** What an attempt needs of the deliveries a statement's `claimed` CTE leased. */
const CLAIMED_SELECT = `
  SELECT c.id, c.event_id, c.target, c.kind, c.lane, c.seq, c.attempts, c.n,
         coalesce(c.body, b.body) AS body, coalesce(c.body_sha256, b.body_sha256) AS body_sha256,
         c.auth_header, c.trace_parent, c.trace_state,
         (SELECT array_agg(s.signing_secret ORDER BY s.created_at) FROM subscriptions s
           WHERE s.id = ANY(c.subscription_ids) AND s.signing_secret IS NOT NULL) AS secrets
    FROM claimed c LEFT JOIN event_bodies b ON b.event_id = c.event_id
   ORDER BY c.target, c.lane, c.seq`;

const claimedOf = (r: ClaimedRow): ClaimedDelivery => ({
  id: String(r.id),
  eventId: r.event_id,
  target: r.target,
  kind: r.kind,
  lane: r.lane,
  seq: String(r.seq),
  attempts: r.attempts,
  body: r.body,
  bodySha256: r.body_sha256,
  authHeader: r.auth_header,
  secrets: r.secrets ?? [],
  ...(r.trace_parent
    ? { trace: { traceparent: r.trace_parent, ...(r.trace_state ? { tracestate: r.trace_state } : {}) } }
    : {}),
});

/** The deliveries table: claiming due heads of lanes, and recording outcomes. */
@Injectable()
export class DeliveriesStore {
  constructor(
    private readonly db: DataSource,
    private readonly endpoints: EndpointDisabler,
  ) {}

  /**
   * Claims due deliveries by lane (one target and room): for up to `limit` lanes whose
   * lowest pending delivery is due and not leased, at most `perTarget` lanes of a target and
   * none of a target in `busy`, the lane's next `perLane` due deliveries in sequence order.
   * The caller sends a lane's deliveries one after another, so events reach one endpoint in
   * their order within a room. The claim is a lease: a process that dies mid-attempt leaves
   * them to be retried when the lease lapses. Deliveries no subscription wants any more
   * (expired) are passed over.
   */
  async claim(
    limit: number,
    perTarget: number,
    perLane: number,
    busy: readonly string[],
    leaseMs: number,
  ): Promise<ClaimedDelivery[]> {
    const rows = (await this.db.query(
      `WITH heads AS (
         SELECT DISTINCT ON (d.target, d.lane) d.target, d.lane, d.seq, d.next_attempt_at, d.leased_until
           FROM deliveries d
          WHERE d.status = 'pending'
          ORDER BY d.target, d.lane, d.seq),
       ready AS (
         SELECT target, lane, seq, next_attempt_at,
                row_number() OVER (PARTITION BY target ORDER BY next_attempt_at, lane) AS lane_rank
           FROM heads
          WHERE next_attempt_at <= now() AND (leased_until IS NULL OR leased_until < now())
            AND NOT (target = ANY($3))),
       lanes AS (
         SELECT target, lane, seq FROM ready WHERE lane_rank <= $2 ORDER BY next_attempt_at LIMIT $1),
       -- A lane's run stops before its first delivery that is leased (a dead process's
       -- later claim, whose lease lapses later) or waiting for a retry.
       blocked AS (
         SELECT l.target, l.lane, min(d.seq) AS seq
           FROM lanes l JOIN deliveries d
             ON d.target = l.target AND d.lane = l.lane AND d.status = 'pending' AND d.seq > l.seq
          WHERE d.next_attempt_at > now() OR d.leased_until >= now()
          GROUP BY l.target, l.lane),
       picked AS (
         SELECT d.id, row_number() OVER (PARTITION BY d.target, d.lane ORDER BY d.seq) AS n
           FROM lanes l JOIN deliveries d
             ON d.target = l.target AND d.lane = l.lane AND d.status = 'pending' AND d.seq >= l.seq
           LEFT JOIN blocked b ON b.target = l.target AND b.lane = l.lane
          WHERE (b.seq IS NULL OR d.seq < b.seq) AND d.next_attempt_at <= now() AND (d.leased_until IS NULL OR d.leased_until < now())
            -- An event delivery goes out only while a subscription still wants it (expiry).
            AND (d.kind <> 'event' OR EXISTS (
                  SELECT 1 FROM subscriptions s WHERE s.id = ANY(d.subscription_ids)
                     AND s.status = 'active' AND (s.expires_at IS NULL OR s.expires_at > now())))),
       claimed AS (
         UPDATE deliveries d SET leased_until = now() + ($4 || ' milliseconds')::interval,
                                 attempts = d.attempts + 1, updated_at = now()
           FROM picked p
          WHERE d.id = p.id AND p.n <= $5 AND d.status = 'pending'
            AND (d.leased_until IS NULL OR d.leased_until < now())
         RETURNING d.*, p.n)
       ${CLAIMED_SELECT}`,
      [limit, perTarget, busy, String(leaseMs), perLane],
    )) as ClaimedRow[];
    return this.runsOnly(rows);
  }

  /**
   * Claims, for each lane asked, the deliveries that follow `afterSeq`, for the process
   * running that lane while it still holds the lease of delivery `afterSeq`, the lane's
   * head: no other process can claim the lane meanwhile, so the lane keeps one sender and
   * its order. Takes the due, unleased ones in sequence order up to the first that is not
   * (a retry waiting for its time, a redelivery sent elsewhere), passing over expired ones,
   * at most `perLane` of each lane. Many lanes in one statement: the lanes a release woke
   * together ask together.
   */
  async claimFollowing(
    lanes: ReadonlyArray<{ target: string; lane: string; afterSeq: string }>,
    perLane: number,
    leaseMs: number,
  ): Promise<ClaimedDelivery[]> {
    if (lanes.length === 0) return [];
    const rows = (await this.db.query(
      `WITH req AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) AS r(target, lane, after_seq)),
       blocked AS (
         SELECT r.target, r.lane, min(d.seq) AS seq
           FROM req r JOIN deliveries d
             ON d.target = r.target AND d.lane = r.lane AND d.status = 'pending' AND d.seq > r.after_seq
          WHERE d.next_attempt_at > now() OR d.leased_until >= now()
          GROUP BY r.target, r.lane),
       picked AS (
         SELECT p.id, p.n FROM req r
           LEFT JOIN blocked b ON b.target = r.target AND b.lane = r.lane
           CROSS JOIN LATERAL (
             SELECT d.id, row_number() OVER (ORDER BY d.seq) AS n FROM deliveries d
              WHERE d.target = r.target AND d.lane = r.lane AND d.status = 'pending' AND d.seq > r.after_seq
                AND (b.seq IS NULL OR d.seq < b.seq)
                AND (d.kind <> 'event' OR EXISTS (
                      SELECT 1 FROM subscriptions s WHERE s.id = ANY(d.subscription_ids)
                         AND s.status = 'active' AND (s.expires_at IS NULL OR s.expires_at > now())))
              ORDER BY d.seq LIMIT $4) p),
       claimed AS (
         UPDATE deliveries d SET leased_until = now() + ($5 || ' milliseconds')::interval,
                                 attempts = d.attempts + 1, updated_at = now()
           FROM picked p
          WHERE d.id = p.id AND d.status = 'pending' AND (d.leased_until IS NULL OR d.leased_until < now())
         RETURNING d.*, p.n)
       ${CLAIMED_SELECT}`,
      [
        lanes.map((l) => l.target),
        lanes.map((l) => l.lane),
        lanes.map((l) => l.afterSeq),
        perLane,
        String(leaseMs),
      ],
    )) as ClaimedRow[];
    return this.runsOnly(rows);
  }

  /**
   * Keeps of each lane only the run this claim holds from its start: a lane's deliveries
   * are sent by one process at a time, in order. Another claimer taking part of what this
   * one picked (between its snapshot and its update) leaves a hole; what lies after the
   * hole, or the whole lane if its first delivery was taken, goes back at once.
   */
  private async runsOnly(rows: readonly ClaimedRow[]): Promise<ClaimedDelivery[]> {
    const kept: ClaimedDelivery[] = [];
    const dropped: string[] = [];
    let lane = '';
    let expected = 1;
    for (const row of rows) {
      const key = `${row.target}\n${row.lane}`;
      if (key !== lane) {
        lane = key;
        expected = 1;
      }
      if (Number(row.n) === expected) {
        kept.push(claimedOf(row));
        expected++;
      } else {
        dropped.push(String(row.id));
        expected = Number.NaN;
      }
    }
    await this.release(dropped);
    return kept;
  }

  /** Many successes in one statement. */
  async deliveredAll(outcomes: ReadonlyArray<{ id: string; status: number }>): Promise<void> {
    if (outcomes.length === 0) return;
    await this.db.query(
      `UPDATE deliveries d SET status = 'delivered', last_status = u.status, last_error = NULL,
              leased_until = NULL, delivered_at = now(), updated_at = now()
         FROM unnest($1::bigint[], $2::int[]) AS u(id, status) WHERE d.id = u.id`,
      [outcomes.map((o) => o.id), outcomes.map((o) => o.status)],
    );
  }

  /** Claimed but not attempted (an earlier delivery of the lane failed): back to the queue. */
  async release(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(
      `UPDATE deliveries SET leased_until = NULL, attempts = greatest(attempts - 1, 0), updated_at = now()
        WHERE id = ANY($1::bigint[]) AND status = 'pending'`,
      [ids],
    );
  }

  async retryLater(id: string, delayMs: number, status: number | null, error: string | null): Promise<void> {
    await this.db.query(
      `UPDATE deliveries SET next_attempt_at = now() + ($2 || ' milliseconds')::interval, leased_until = NULL,
              last_status = $3, last_error = $4, updated_at = now() WHERE id = $1`,
      [id, String(delayMs), status, error],
    );
  }

  async failed(id: string, status: number | null, error: string | null): Promise<void> {
    await this.db.query(
      `UPDATE deliveries SET status = 'failed', leased_until = NULL, last_status = $2, last_error = $3,
              updated_at = now() WHERE id = $1`,
      [id, status, error],
    );
  }

  /** 410 Gone: this delivery fails and the subscriptions behind its target are disabled. */
  async gone(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [row] = (await tx.query(
        `UPDATE deliveries SET status = 'failed', leased_until = NULL, last_status = 410,
                last_error = 'the endpoint answered 410 Gone', updated_at = now()
          WHERE id = $1 RETURNING subscription_ids, target`,
        [id],
      )) as [Array<{ subscription_ids: string[]; target: string }>, number];
      const delivery = row[0];
      if (delivery && delivery.subscription_ids.length > 0)
        await this.endpoints.disable(tx, delivery.target, delivery.subscription_ids, { kind: 'gone' });
    });
  }
}
