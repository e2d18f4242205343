import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { activeSeconds, roundSession } from '../ingestion/attendance-rules';
import { StatsErrors } from '../stats.errors';
import { Period } from './statistics-period';

/** One session as the Gcore statistics API shows it; times in Unix seconds, whole buckets. */
export interface PeerSessionView {
  person_id: string;
  join_time: number;
  /** Null while the peer is still in the room. */
  leave_time: number | null;
  duration: number;
}

export interface RoomSummaryView {
  participants: number;
  start_time: number;
  end_time: number;
  duration: number;
}

/** Times as epoch milliseconds (float8 arrives as a number: no Date parsing for 10,000 rows). */
interface SessionRow {
  peer_id: string;
  joined_at: number;
  left_at: number | null;
}

/**
 * The two Gcore statistics queries over one organisation's sessions. A session belongs to the
 * period when it overlaps it; it is reported whole, rounded by the attendance rules.
 */
@Injectable()
export class PeerStatistics {
  constructor(private readonly dataSource: DataSource) {}

  async sessions(
    orgId: string,
    roomId: string,
    period: Period,
    now = new Date(),
  ): Promise<PeerSessionView[]> {
    const rows = await this.load(orgId, roomId, period);
    return rows.map((r) => {
      const rounded = roundSession(r.joined_at, r.left_at ?? now.getTime());
      return {
        person_id: r.peer_id,
        join_time: rounded.joinTime,
        leave_time: r.left_at ? rounded.leaveTime : null,
        duration: rounded.duration,
      };
    });
  }

  async summary(orgId: string, roomId: string, period: Period, now = new Date()): Promise<RoomSummaryView> {
    const rows = await this.load(orgId, roomId, period);
    const rounded = rows.map((r) => roundSession(r.joined_at, r.left_at ?? now.getTime()));
    let start = Infinity;
    let end = -Infinity;
    for (const r of rounded) {
      if (r.joinTime < start) start = r.joinTime;
      if (r.leaveTime > end) end = r.leaveTime;
    }
    return {
      participants: new Set(rows.map((r) => r.peer_id)).size,
      start_time: start,
      end_time: end,
      duration: activeSeconds(rounded),
    };
  }

  /** Another organisation's room, and a room without sessions in the period, are both "no data". */
  private async load(orgId: string, roomId: string, period: Period): Promise<SessionRow[]> {
    const rows: SessionRow[] = await this.dataSource.query(
      `SELECT peer_id, extract(epoch FROM joined_at)::float8 * 1000 AS joined_at,
              extract(epoch FROM left_at)::float8 * 1000 AS left_at
       FROM peer_sessions
       WHERE org_id = $1 AND room_id = $2 AND joined_at <= $4 AND (left_at IS NULL OR left_at >= $3)
       ORDER BY joined_at, connection_id`,
      [orgId, roomId, period.from, period.to],
    );
    if (rows.length === 0) throw StatsErrors.noData({ room_id: roomId });
    return rows;
  }
}
