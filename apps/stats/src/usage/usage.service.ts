import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BUCKET_SECONDS, bucketsStartingIn } from '../ingestion/attendance-rules';
import { Period } from '../statistics/statistics-period';

/**
 * One room's use on one UTC day: participant time from the 30-second buckets of its finished
 * sessions, and the recorded time of the recording parts that started that day.
 */
export interface UsageRow {
  day: string;
  room_id: string;
  participant_seconds: number;
  participant_minutes: number;
  peak_peers: number;
  recorded_seconds: number;
}

/**
 * Every (day, room) of the organisation with participant or recorded time in the period:
 * $1 org, $2/$3 first and last bucket start, $4/$5 the period's bounds. A bucket belongs to
 * the period and to the UTC day it starts in; a recorded part likewise by its start (its day
 * was fixed when it was stored, by recorded-time-rules.ts). A room recorded on a day without
 * a finished session there is a row with no participant time.
 */
const USAGE_GROUPS = `
  WITH present AS (
    SELECT s.room_id, t
    FROM peer_sessions s
    CROSS JOIN LATERAL generate_series(greatest(s.join_time, $2), least(s.leave_time - ${BUCKET_SECONDS}, $3),
                                       ${BUCKET_SECONDS}) AS t
    WHERE s.org_id = $1 AND s.leave_time IS NOT NULL AND s.leave_time > $2 AND s.join_time <= $3
  ), per_bucket AS (
    SELECT room_id, t, count(*) AS peers FROM present GROUP BY room_id, t
  ), attended AS (
    SELECT t - t % 86400 AS day_start, room_id, sum(peers)::bigint * ${BUCKET_SECONDS} AS seconds,
           max(peers)::int AS peak
    FROM per_bucket
    GROUP BY t - t % 86400, room_id
  ), recorded AS (
    SELECT extract(epoch FROM day)::bigint AS day_start, room_id, sum(seconds)::bigint AS seconds
    FROM recorded_parts
    WHERE org_id = $1 AND started_at >= $4 AND started_at < $5
    GROUP BY day, room_id
  ), usage_rows AS (
    SELECT day_start, room_id, coalesce(a.seconds, 0) AS participant_seconds, coalesce(a.peak, 0) AS peak,
           coalesce(r.seconds, 0) AS recorded_seconds
    FROM attended a FULL JOIN recorded r USING (day_start, room_id)
  )`;

/**
 * Participant and recorded time per day and room, for billing. Participant time comes from
 * the buckets of finished sessions (open sessions count once they end); recorded time from
 * the completed parts of recordings.
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
    const bounds = [orgId, first, last, period.from.toISOString(), period.to.toISOString()];
    const rows: Array<{
      day: string;
      room_id: string;
      participant_seconds: string;
      peak: number;
      recorded_seconds: string;
      total: string;
    }> = await this.dataSource.query(
      `${USAGE_GROUPS}
       SELECT to_char(to_timestamp(day_start) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, room_id,
              participant_seconds, peak, recorded_seconds, count(*) OVER () AS total
       FROM usage_rows
       ORDER BY day_start, room_id
       LIMIT $6 OFFSET $7`,
      [...bounds, count, page * count],
    );
    const total = rows.length > 0 ? Number(rows[0].total) : await this.countGroups(bounds);
    return {
      rows: rows.map((r) => ({
        day: r.day,
        room_id: r.room_id,
        participant_seconds: Number(r.participant_seconds),
        participant_minutes: Number(r.participant_seconds) / 60,
        peak_peers: r.peak,
        recorded_seconds: Number(r.recorded_seconds),
      })),
      total,
    };
  }

  /** A page past the end still says how many rows there are. */
  private async countGroups(bounds: unknown[]): Promise<number> {
    const [row] = await this.dataSource.query(
      `${USAGE_GROUPS} SELECT count(*)::int AS n FROM usage_rows`,
      bounds,
    );
    return row.n;
  }
}
