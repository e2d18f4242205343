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
 */
@Injectable()
export class LiveConferences {
  constructor(private readonly db: DataSource) {}

  async started(tx: EntityManager, c: LiveConference, startedAt: string): Promise<void> {
    await tx.query(
      `INSERT INTO live_conferences (org_id, room_id, conference_number, started_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (org_id, room_id) DO UPDATE SET conference_number = $3, started_at = $4
       WHERE live_conferences.started_at <= $4`,
      [c.orgId, c.roomId, c.conferenceNumber, startedAt],
    );
  }

  async ended(tx: EntityManager, c: LiveConference): Promise<void> {
    await tx.query(
      `DELETE FROM live_conferences WHERE org_id = $1 AND room_id = $2 AND conference_number = $3`,
      [c.orgId, c.roomId, c.conferenceNumber],
    );
  }

  /** The organisation's live conference named by its number or its room id. */
  async find(orgId: string, conferenceId: string): Promise<LiveConference | undefined> {
    const rows = (await this.db.query(
      `SELECT org_id, room_id, conference_number FROM live_conferences
        WHERE org_id = $1 AND (room_id = $2 OR conference_number = $2)
        ORDER BY (room_id = $2) DESC LIMIT 1`,
      [orgId, conferenceId],
    )) as Array<{ org_id: string; room_id: string; conference_number: string }>;
    const row = rows[0];
    return row && { orgId: row.org_id, roomId: row.room_id, conferenceNumber: row.conference_number };
  }
}
