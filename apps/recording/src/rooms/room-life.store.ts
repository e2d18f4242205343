import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

type Db = DataSource | EntityManager;

/** An auto-recording timer that came due: start or stop recording this room. */
export interface DueRoom {
  org_id: string;
  room_id: string;
}

/** Rows made for a room's settings before any of its life is known never outrank an event. */
const NO_EVENT_YET = '-infinity';

/**
 * Rooms as their events tell it: live or not, their own auto-recording switch, and the
 * auto-recording timers. Written by the room-life consumer, read by starts and the scheduler.
 * An event older than the last one applied to a room (`changed_at`) changes nothing: replicas
 * and redeliveries may hand a room's start and end over in either order.
 */
@Injectable()
export class RoomLifeStore {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Whether the room is live. With a transaction, the row is held (FOR SHARE) until it ends,
   * so a room's end waits for a start deciding on it, and then sees the recording it made.
   */
  async isLive(orgId: string, roomId: string, tx?: EntityManager): Promise<boolean> {
    const [row] = (await (tx ?? this.dataSource).query(
      `SELECT live FROM rooms WHERE org_id = $1 AND room_id = $2${tx ? ' FOR SHARE' : ''}`,
      [orgId, roomId],
    )) as { live: boolean }[];
    return row?.live === true;
  }

  /** The room's own switch (room settings' autoRecord), or null to follow the organisation. */
  async autoRecordOf(orgId: string, roomId: string, db: Db = this.dataSource): Promise<boolean | null> {
    const [row] = (await db.query(`SELECT auto_record FROM rooms WHERE org_id = $1 AND room_id = $2`, [
      orgId,
      roomId,
    ])) as { auto_record: boolean | null }[];
    return row?.auto_record ?? null;
  }

  async setAutoRecord(
    tx: EntityManager,
    orgId: string,
    roomId: string,
    autoRecord: boolean | null,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO rooms (org_id, room_id, auto_record, changed_at) VALUES ($1, $2, $3, '${NO_EVENT_YET}')
       ON CONFLICT (org_id, room_id) DO UPDATE SET auto_record = $3`,
      [orgId, roomId, autoRecord],
    );
  }

  /** Whether an auto-recording stop is scheduled (the room is empty, its people may come back). */
  async stopPending(orgId: string, roomId: string): Promise<boolean> {
    const [row] = (await this.dataSource.query(
      `SELECT auto_stop_at FROM rooms WHERE org_id = $1 AND room_id = $2`,
      [orgId, roomId],
    )) as { auto_stop_at: Date | null }[];
    return !!row?.auto_stop_at;
  }

  /** The room came to life at `at`; false when a later event was applied already. A pending stop is called off. */
  async started(tx: EntityManager, orgId: string, roomId: string, at: Date): Promise<boolean> {
    const rows = (await tx.query(
      `INSERT INTO rooms (org_id, room_id, live, changed_at) VALUES ($1, $2, true, $3)
       ON CONFLICT (org_id, room_id) DO UPDATE SET live = true, changed_at = $3, auto_stop_at = NULL
       WHERE rooms.changed_at <= EXCLUDED.changed_at
       RETURNING room_id`,
      [orgId, roomId, at],
    )) as unknown[];
    return rows.length > 0;
  }

  /** The room ended at `at`; false when a later event was applied already. A start not yet due is called off. */
  async ended(tx: EntityManager, orgId: string, roomId: string, at: Date): Promise<boolean> {
    const rows = (await tx.query(
      `INSERT INTO rooms (org_id, room_id, live, changed_at) VALUES ($1, $2, false, $3)
       ON CONFLICT (org_id, room_id) DO UPDATE SET live = false, changed_at = $3, auto_start_at = NULL
       WHERE rooms.changed_at <= EXCLUDED.changed_at
       RETURNING room_id`,
      [orgId, roomId, at],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Schedules an auto start at `at` unless one is scheduled already. */
  async armStart(db: Db | undefined, orgId: string, roomId: string, at: Date): Promise<void> {
    await (db ?? this.dataSource).query(
      `UPDATE rooms SET auto_start_at = COALESCE(auto_start_at, $3) WHERE org_id = $1 AND room_id = $2 AND live`,
      [orgId, roomId, at],
    );
  }

  async armStop(db: Db | undefined, orgId: string, roomId: string, at: Date): Promise<void> {
    await (db ?? this.dataSource).query(
      `UPDATE rooms SET auto_stop_at = $3 WHERE org_id = $1 AND room_id = $2 AND NOT live`,
      [orgId, roomId, at],
    );
  }

  /** Claims one start that came due, in a room still live (each by exactly one replica). */
  async claimDueStart(): Promise<DueRoom | undefined> {
    const [rows] = (await this.dataSource.query(
      `UPDATE rooms SET auto_start_at = NULL
       WHERE (org_id, room_id) = (
         SELECT org_id, room_id FROM rooms WHERE auto_start_at <= now() AND live
         ORDER BY auto_start_at LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING org_id, room_id`,
    )) as [DueRoom[], number];
    return rows[0];
  }

  /** Claims one stop that came due: a room still empty when its stop delay ran out. */
  async claimDueStop(): Promise<DueRoom | undefined> {
    const [rows] = (await this.dataSource.query(
      `UPDATE rooms SET auto_stop_at = NULL
       WHERE (org_id, room_id) = (
         SELECT org_id, room_id FROM rooms WHERE auto_stop_at <= now() AND NOT live
         ORDER BY auto_stop_at LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING org_id, room_id`,
    )) as [DueRoom[], number];
    return rows[0];
  }
}
