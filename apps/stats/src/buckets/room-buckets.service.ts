import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BUCKET_SECONDS, bucketsStartingIn } from '../ingestion/attendance-rules';
import { Period } from '../statistics/statistics-period';

/** One 30-second bucket of a room: who was present, split by what they could do. */
export interface RoomBucketView {
  /** ISO-8601 start of the bucket. */
  start: string;
  peers: number;
  speakers: number;
  viewers: number;
  participant_seconds: number;
}

/**
 * A room's buckets, derived set-wise from its finished sessions by the counting rule
 * (docs/stats.md): a session is present in every bucket from its rounded join to its rounded
 * leave. Role changes cut a session into segments, each counted under its role from the
 * bucket the change happened in, so a bucket counts a session under the last role it held
 * there; `viewer` watches and every other role may speak (attendance-rules.ts, isViewer).
 */
@Injectable()
export class RoomBuckets {
  constructor(private readonly dataSource: DataSource) {}

  async list(orgId: string, roomId: string, period: Period): Promise<RoomBucketView[]> {
    const { first, last } = bucketsStartingIn(period);
    if (last < first) return [];
    const rows: Array<{ t: string; peers: number; speakers: number; viewers: number }> =
      await this.dataSource.query(
        `WITH s AS (
           SELECT connection_id, peer_id, conference_number, role, joined_at, left_at, join_time, leave_time
           FROM peer_sessions
           WHERE org_id = $1 AND room_id = $2 AND leave_time IS NOT NULL AND leave_time > $3 AND join_time <= $4
         ), changes AS (
           -- The changes of each session, in order: those naming its connection, and those of
           -- older events, which name only the peer, made while that session was open.
           SELECT s.connection_id, c.change_bucket, c.from_role, c.to_role,
                  row_number() OVER w AS n, lead(c.change_bucket) OVER w AS next_bucket
           FROM s JOIN peer_role_changes c
             ON c.org_id = $1 AND c.room_id = $2 AND c.peer_id = s.peer_id
            AND c.conference_number = s.conference_number
            AND CASE WHEN c.connection_id IS NOT NULL THEN c.connection_id = s.connection_id
                     ELSE c.changed_at >= s.joined_at AND c.changed_at <= s.left_at END
           WINDOW w AS (PARTITION BY s.connection_id ORDER BY c.changed_at, c.event_id)
         ), segments AS (
           -- Before the first change the session held the role that change left (or, with
           -- no change, the one its events report); after each change, the role it gave.
           SELECT s.join_time AS seg_start, coalesce(c.change_bucket, s.leave_time) AS seg_end,
                  coalesce(c.from_role, s.role) AS role, s.join_time, s.leave_time
           FROM s LEFT JOIN changes c ON c.connection_id = s.connection_id AND c.n = 1
           UNION ALL
           SELECT c.change_bucket, coalesce(c.next_bucket, s.leave_time), c.to_role, s.join_time, s.leave_time
           FROM changes c JOIN s ON s.connection_id = c.connection_id
         )
         SELECT t::text AS t, count(*)::int AS peers,
                count(*) FILTER (WHERE role <> 'viewer')::int AS speakers,
                count(*) FILTER (WHERE role = 'viewer')::int AS viewers
         FROM segments
         CROSS JOIN LATERAL generate_series(greatest(seg_start, join_time, $3),
                                            least(seg_end, leave_time, $4 + ${BUCKET_SECONDS}) - ${BUCKET_SECONDS},
                                            ${BUCKET_SECONDS}) AS t
         GROUP BY t
         ORDER BY t`,
        [orgId, roomId, first, last],
      );
    return rows.map((r) => ({
      start: new Date(Number(r.t) * 1000).toISOString(),
      peers: r.peers,
      speakers: r.speakers,
      viewers: r.viewers,
      participant_seconds: r.peers * BUCKET_SECONDS,
    }));
  }
}
