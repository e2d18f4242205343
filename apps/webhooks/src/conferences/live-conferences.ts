import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface LiveConference {
  orgId: string;
  roomId: string;
  conferenceNumber: string;
}

/**
 * The live rooms of every organisation and their conference numbers, projected from
 * `room.started` / `room.ended`: a Glayr conference id is either of them.
 *
 * One row per room, naming its latest known life (by its start time) and whether that
 * ended. Both events write the row with one upsert on its key, so a start and an end taken
 * in at the same moment (by two replicas) are applied one after the other whatever their
 * order, and an end is kept rather than deleted, so a start arriving after it (redelivered
 * after a crash) cannot bring the ended life back.
 */
@Injectable()
export class LiveConferences {
  constructor(private readonly db: DataSource) {}

  /** A life began: it replaces an earlier one, never the same one once ended, nor a later one. */
  async started(tx: EntityManager, c: LiveConference, startedAt: string): Promise<void> {
    await tx.query(
      `INSERT INTO live_conferences (org_id, room_id, conference_number, started_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (org_id, room_id) DO UPDATE SET conference_number = $3, started_at = $4, ended_at = NULL
       WHERE live_conferences.started_at < $4
          OR (live_conferences.started_at = $4 AND live_conferences.ended_at IS NULL)`,
      [c.orgId, c.roomId, c.conferenceNumber, startedAt],
    );
  }

  /** The life that began at `startedAt` ended: recorded even if its start was not seen yet. */
  async ended(tx: EntityManager, c: LiveConference, startedAt: string, endedAt: string): Promise<void> {
    await tx.query(
      `INSERT INTO live_conferences (org_id, room_id, conference_number, started_at, ended_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (org_id, room_id) DO UPDATE SET conference_number = $3, started_at = $4, ended_at = $5
       WHERE live_conferences.started_at <= $4`,
      [c.orgId, c.roomId, c.conferenceNumber, startedAt, endedAt],
    );
  }

  /** The organisation's live conference named by its number or its room id. */
  async find(orgId: string, conferenceId: string): Promise<LiveConference | undefined> {
    const rows = (await this.db.query(
      `SELECT org_id, room_id, conference_number FROM live_conferences
        WHERE org_id = $1 AND (room_id = $2 OR conference_number = $2) AND ended_at IS NULL
        ORDER BY (room_id = $2) DESC LIMIT 1`,
      [orgId, conferenceId],
    )) as Array<{ org_id: string; room_id: string; conference_number: string }>;
    const row = rows[0];
    return row && { orgId: row.org_id, roomId: row.room_id, conferenceNumber: row.conference_number };
  }
}
