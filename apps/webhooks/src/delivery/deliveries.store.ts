import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
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
}

interface ClaimedRow {
  id: string;
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
}

/** The deliveries table: claiming due heads of lanes, and recording outcomes. */
@Injectable()
export class DeliveriesStore {
  constructor(
    private readonly db: DataSource,
    private readonly endpoints: EndpointDisabler,
  ) {}

  /**
   * Claims due deliveries, at most `perTarget` per target, none of a target in
   * `busy`, and only the head (lowest pending sequence) of each target's room lane,
   * so events reach one endpoint in their order within a room. The claim is a lease:
   * a process that dies mid-attempt leaves it to be retried when the lease lapses.
   */
  async claim(
    limit: number,
    perTarget: number,
    busy: readonly string[],
    leaseMs: number,
  ): Promise<ClaimedDelivery[]> {
    const rows = (await this.db.query(
      `WITH heads AS (
         SELECT d.id, d.target, d.next_attempt_at
           FROM deliveries d
          WHERE d.status = 'pending' AND d.next_attempt_at <= now()
            AND (d.leased_until IS NULL OR d.leased_until < now())
            AND NOT (d.target = ANY($3))
            -- An event delivery goes out only while a subscription still wants it (expiry).
            AND (d.kind <> 'event' OR EXISTS (
                  SELECT 1 FROM subscriptions s WHERE s.id = ANY(d.subscription_ids)
                     AND s.status = 'active' AND (s.expires_at IS NULL OR s.expires_at > now())))
            AND NOT EXISTS (SELECT 1 FROM deliveries p
                             WHERE p.status = 'pending' AND p.target = d.target AND p.lane = d.lane
                               AND p.seq < d.seq)
          ORDER BY d.next_attempt_at, d.id
          LIMIT $1 * 4),
       ranked AS (
         SELECT id, row_number() OVER (PARTITION BY target ORDER BY next_attempt_at, id) AS n FROM heads),
       claimed AS (
         UPDATE deliveries d SET leased_until = now() + ($4 || ' milliseconds')::interval,
                                 attempts = d.attempts + 1, updated_at = now()
           FROM ranked r
          WHERE d.id = r.id AND r.n <= $2 AND d.status = 'pending'
            AND (d.leased_until IS NULL OR d.leased_until < now())
         RETURNING d.*)
       SELECT c.id, c.event_id, c.target, c.kind, c.lane, c.seq, c.attempts,
              coalesce(c.body, b.body) AS body, coalesce(c.body_sha256, b.body_sha256) AS body_sha256,
              c.auth_header,
              (SELECT array_agg(s.signing_secret ORDER BY s.created_at) FROM subscriptions s
                WHERE s.id = ANY(c.subscription_ids) AND s.signing_secret IS NOT NULL) AS secrets
         FROM claimed c LEFT JOIN event_bodies b ON b.event_id = c.event_id
        ORDER BY c.lane, c.seq
        LIMIT $1`,
      [limit, perTarget, busy, String(leaseMs)],
    )) as ClaimedRow[];
    return rows.map((r) => ({
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
    }));
  }

  async delivered(id: string, status: number): Promise<void> {
    await this.db.query(
      `UPDATE deliveries SET status = 'delivered', last_status = $2, last_error = NULL, leased_until = NULL,
              delivered_at = now(), updated_at = now() WHERE id = $1`,
      [id, status],
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
