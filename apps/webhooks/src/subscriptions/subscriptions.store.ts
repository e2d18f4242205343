import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { Subscription, SubscriptionKind } from './subscription';
import { takeReleaseLock } from '../intake/release/release-lock';

interface SubscriptionRow {
  id: string;
  org_id: string;
  kind: SubscriptionKind;
  room_id: string | null;
  endpoint: string;
  event_types: string[] | null;
  signing_secret: string | null;
  status: 'active' | 'disabled';
  disabled_reason: string | null;
  expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const toSubscription = (row: SubscriptionRow): Subscription => ({
  id: row.id,
  orgId: row.org_id,
  kind: row.kind,
  roomId: row.room_id,
  endpoint: row.endpoint,
  eventTypes: row.event_types,
  signingSecret: row.signing_secret,
  status: row.status,
  disabledReason: row.disabled_reason,
  expiresAt: row.expires_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export interface NewSubscription {
  orgId: string;
  kind: SubscriptionKind;
  roomId: string | null;
  endpoint: string;
  eventTypes: string[] | null;
  signingSecret: string | null;
  expiresAt: Date | null;
}

export interface SubscriptionChanges {
  endpoint?: string;
  eventTypes?: string[] | null;
  roomId?: string | null;
  signingSecret?: string | null;
  active?: boolean;
}

/** The subscriptions table. */
@Injectable()
export class SubscriptionsStore {
  constructor(private readonly db: DataSource) {}

  async create(spec: NewSubscription): Promise<Subscription> {
    const [row] = (await this.db.query(
      `INSERT INTO subscriptions (id, org_id, kind, room_id, endpoint, event_types, signing_secret, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        randomUUID(),
        spec.orgId,
        spec.kind,
        spec.roomId,
        spec.endpoint,
        spec.eventTypes,
        spec.signingSecret,
        spec.expiresAt,
      ],
    )) as SubscriptionRow[];
    return toSubscription(row);
  }

  async get(orgId: string, id: string): Promise<Subscription | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = (await this.db.query(`SELECT * FROM subscriptions WHERE org_id = $1 AND id = $2`, [
      orgId,
      id,
    ])) as SubscriptionRow[];
    return rows[0] && toSubscription(rows[0]);
  }

  async list(orgId: string): Promise<Subscription[]> {
    const rows = (await this.db.query(
      `SELECT * FROM subscriptions WHERE org_id = $1 ORDER BY created_at, id`,
      [orgId],
    )) as SubscriptionRow[];
    return rows.map(toSubscription);
  }

  /** Active, unexpired subscriptions that may want an event of this organisation and room. */
  async candidates(tx: EntityManager, orgId: string, roomId: string | undefined): Promise<Subscription[]> {
    const rows = (await tx.query(
      `SELECT * FROM subscriptions
        WHERE org_id = $1 AND status = 'active' AND (expires_at IS NULL OR expires_at > now())
          AND (room_id IS NULL OR room_id = $2)`,
      [orgId, roomId ?? null],
    )) as SubscriptionRow[];
    return rows.map(toSubscription);
  }

  async update(orgId: string, id: string, changes: SubscriptionChanges): Promise<Subscription | undefined> {
    if (!isUuid(id)) return undefined;
    const sets: string[] = [];
    const values: unknown[] = [orgId, id];
    const set = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (changes.endpoint !== undefined) set('endpoint', changes.endpoint);
    if (changes.eventTypes !== undefined) set('event_types', changes.eventTypes);
    if (changes.roomId !== undefined) set('room_id', changes.roomId);
    if (changes.signingSecret !== undefined) set('signing_secret', changes.signingSecret);
    if (changes.active !== undefined) {
      set('status', changes.active ? 'active' : 'disabled');
      set('disabled_reason', changes.active ? null : 'disabled by the API');
    }
    const rows = (await this.db.query(
      `UPDATE subscriptions SET ${[...sets, 'updated_at = now()'].join(', ')}
        WHERE org_id = $1 AND id = $2 RETURNING *`,
      values,
    )) as [SubscriptionRow[], number];
    const row = rows[0]?.[0];
    return row && toSubscription(row);
  }

  /** Deletes it; deliveries no other active subscription wants are dropped with it. */
  async delete(orgId: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return this.db.transaction(async (tx) => {
      const [, count] = (await tx.query(`DELETE FROM subscriptions WHERE org_id = $1 AND id = $2`, [
        orgId,
        id,
      ])) as [unknown, number];
      if (!count) return false;
      await dropOrphanedDeliveries(tx, 'subscription deleted');
      return true;
    });
  }
}

/**
 * Deliveries waiting to be sent (pending) or numbered (held) that no active, unexpired
 * subscription still wants fail without being sent, saying why; held ones never take a
 * number. Under the release's lock, so that a release running now cannot number them.
 */
export async function dropOrphanedDeliveries(tx: EntityManager, reason: string): Promise<void> {
  await takeReleaseLock(tx);
  await tx.query(
    `UPDATE deliveries d SET status = 'failed', last_error = $1, updated_at = now(), leased_until = NULL
      WHERE d.status IN ('pending', 'held') AND d.kind = 'event'
        AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.id = ANY(d.subscription_ids)
                          AND s.status = 'active' AND (s.expires_at IS NULL OR s.expires_at > now()))`,
    [reason],
  );
}

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
