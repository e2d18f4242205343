import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Period } from '../statistics/statistics-period';

/** One room's use on one UTC day, from the 30-second buckets of its finished sessions. */
export interface UsageRow {
  day: string;
  room_id: string;
  participant_seconds: number;
  participant_minutes: number;
  peak_peers: number;
}

/** Participant time per day and room, for billing. Open sessions count once they end. */
@Injectable()
export class OrganisationUsage {
  constructor(private readonly dataSource: DataSource) {}

  async page(
    orgId: string,
    period: Period,
    page: number,
    count: number,
  ): Promise<{ rows: UsageRow[]; total: number }> {
    const rows: Array<{ day: string; room_id: string; seconds: string; peak: number; total: string }> =
      await this.dataSource.query(
        `SELECT to_char(date_trunc('day', bucket_start AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, room_id,
                sum(participant_seconds)::bigint AS seconds, max(peers) AS peak, count(*) OVER () AS total
         FROM room_buckets
         WHERE org_id = $1 AND bucket_start >= $2 AND bucket_start < $3
         GROUP BY 1, 2
         ORDER BY 1, 2
         LIMIT $4 OFFSET $5`,
        [orgId, period.from, period.to, count, page * count],
      );
    const total = rows.length > 0 ? Number(rows[0].total) : await this.countGroups(orgId, period);
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

  private async countGroups(orgId: string, period: Period): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(DISTINCT (date_trunc('day', bucket_start AT TIME ZONE 'UTC'), room_id))::int AS n
       FROM room_buckets WHERE org_id = $1 AND bucket_start >= $2 AND bucket_start < $3`,
      [orgId, period.from, period.to],
    );
    return row.n;
  }
}
