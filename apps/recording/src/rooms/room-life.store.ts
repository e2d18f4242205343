import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** An auto-recording timer that came due: start or stop recording this room. */
export interface DueRoom {
  org_id: string;
  room_id: string;
}

/**
 * Rooms as their events tell it: live or not, their own auto-recording switch, and the
 * auto-recording timers. Written by the room-life consumer, read by starts and the scheduler.
 */
@Injectable()
export class RoomLifeStore {
  constructor(private readonly dataSource: DataSource) {}

  async isLive(orgId: string, roomId: string): Promise<boolean> {
    const [row] = (await this.dataSource.query(`SELECT live FROM rooms WHERE org_id = $1 AND room_id = $2`, [
      orgId,
      roomId,
    ])) as { live: boolean }[];
    return row?.live === true;
  }

  /** Whether an auto-recording stop is scheduled (the room is empty, its people may come back). */
  async stopPending(orgId: string, roomId: string): Promise<boolean> {
    const [row] = (await this.dataSource.query(
      `SELECT auto_stop_at FROM rooms WHERE org_id = $1 AND room_id = $2`,
      [orgId, roomId],
    )) as { auto_stop_at: Date | null }[];
    return !!row?.auto_stop_at;
  }

  /** The room's own switch (room settings' autoRecord), or null to follow the organisation. */
  async autoRecordOf(orgId: string, roomId: string): Promise<boolean | null> {
    const [row] = (await this.dataSource.query(
      `SELECT auto_record FROM rooms WHERE org_id = $1 AND room_id = $2`,
      [orgId, roomId],
    )) as { auto_record: boolean | null }[];
    return row?.auto_record ?? null;
  }

  async setAutoRecord(orgId: string, roomId: string, autoRecord: boolean | null): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO rooms (org_id, room_id, auto_record) VALUES ($1, $2, $3)
       ON CONFLICT (org_id, room_id) DO UPDATE SET auto_record = $3`,
      [orgId, roomId, autoRecord],
    );
  }

  /**
   * The room came to life. With `autoStartAt`, a start is scheduled unless one already is;
   * a pending auto stop is called off either way (people came back in time).
   */
  async started(orgId: string, roomId: string, at: Date, autoStartAt: Date | null): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO rooms (org_id, room_id, live, changed_at, auto_start_at)
       VALUES ($1, $2, true, $3, $4)
       ON CONFLICT (org_id, room_id) DO UPDATE SET live = true, changed_at = $3,
         auto_start_at = COALESCE(rooms.auto_start_at, $4), auto_stop_at = NULL`,
      [orgId, roomId, at, autoStartAt],
    );
  }

  /** The room ended: a start not yet due is called off; `autoStopAt` schedules a stop. */
  async ended(orgId: string, roomId: string, at: Date, autoStopAt: Date | null): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO rooms (org_id, room_id, live, changed_at, auto_stop_at)
       VALUES ($1, $2, false, $3, $4)
       ON CONFLICT (org_id, room_id) DO UPDATE SET live = false, changed_at = $3,
         auto_start_at = NULL, auto_stop_at = $4`,
      [orgId, roomId, at, autoStopAt],
    );
  }

  /** Claims the starts that came due (each by exactly one replica). */
  async claimDueStarts(): Promise<DueRoom[]> {
    const [rows] = (await this.dataSource.query(
      `UPDATE rooms SET auto_start_at = NULL
       WHERE auto_start_at <= now() AND live RETURNING org_id, room_id`,
    )) as [DueRoom[], number];
    return rows;
  }

  /** Claims the stops that came due: rooms still empty when their stop delay ran out. */
  async claimDueStops(): Promise<DueRoom[]> {
    const [rows] = (await this.dataSource.query(
      `UPDATE rooms SET auto_stop_at = NULL
       WHERE auto_stop_at <= now() AND NOT live RETURNING org_id, room_id`,
    )) as [DueRoom[], number];
    return rows;
  }
}
