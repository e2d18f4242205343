import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BUCKET_SECONDS, bucketsStartingIn } from '../ingestion/attendance-rules';
import { Period } from '../statistics/statistics-period';

/** One room's use on one UTC day, from the 30-second buckets of its finished sessions. */
export interface UsageRow {
  day: string;
  room_id: string;
  participant_seconds: number;
  participant_minutes: number;
  peak_peers: number;
}

/**
 * Participant time per day and room, for billing, from the buckets of finished sessions
 * (open sessions count once they end). A bucket belongs to the period when it starts in it,
 * and to the UTC day it starts in.
 */
@Injectable()
export class OrganisationUsage {
  constructor(private readonly dataSource: DataSource) {}

  async page(
    orgId: string,
    period: Period,
    page: number,
    count: number,
  ): Promise<{ rows: UsageRow[]; total: number }> {
    const { first, last } = bucketsStartingIn(period);
    if (last < first) return { rows: [], total: 0 };
    // Every (room, bucket) with the sessions present in it, then summed per day and room.
    const rows: Array<{ day: string; room_id: string; seconds: string; peak: number; total: string }> =
      await this.dataSource.query(
        `WITH present AS (
           SELECT s.room_id, t
           FROM peer_sessions s
           CROSS JOIN LATERAL generate_series(greatest(s.join_time, $2), least(s.leave_time - ${BUCKET_SECONDS}, $3),
                                              ${BUCKET_SECONDS}) AS t
           WHERE s.org_id = $1 AND s.leave_time IS NOT NULL AND s.leave_time > $2 AND s.join_time <= $3
         ), per_bucket AS (
           SELECT room_id, t, count(*) AS peers FROM present GROUP BY room_id, t
         )
         SELECT to_char(to_timestamp(t - t % 86400) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, room_id,
                sum(peers)::bigint * ${BUCKET_SECONDS} AS seconds, max(peers)::int AS peak, count(*) OVER () AS total
         FROM per_bucket
         GROUP BY t - t % 86400, room_id
         ORDER BY t - t % 86400, room_id
         LIMIT $4 OFFSET $5`,
        [orgId, first, last, count, page * count],
      );
    const total = rows.length > 0 ? Number(rows[0].total) : await this.countGroups(orgId, first, last);
    return {
      rows: rows.map((r) => ({
        day: r.day,
        room_id: r.room_id,
        participant_seconds: Number(r.seconds),
        participant_minutes: Number(r.seconds) / 60,
        peak_peers: r.peak,
      })),
      total,
    };
  }

  /** A page past the end still says how many rows there are. */
  private async countGroups(orgId: string, first: number, last: number): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(DISTINCT (t - t % 86400, s.room_id))::int AS n
       FROM peer_sessions s
       CROSS JOIN LATERAL generate_series(greatest(s.join_time, $2), least(s.leave_time - ${BUCKET_SECONDS}, $3),
                                          ${BUCKET_SECONDS}) AS t
       WHERE s.org_id = $1 AND s.leave_time IS NOT NULL AND s.leave_time > $2 AND s.join_time <= $3`,
      [orgId, first, last],
    );
    return row.n;
  }
}
