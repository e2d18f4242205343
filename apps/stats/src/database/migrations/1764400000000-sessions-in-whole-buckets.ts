import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Buckets become a function of the sessions instead of a table incremented per session:
 * a session stores its first bucket and the end of its last (Unix seconds, rounded once by
 * attendance-rules.ts when it is written), and bucket rows are derived set-wise when read.
 * Ingestion then writes one row per session instead of one per bucket it touches, and every
 * write is idempotent by its own key. Role changes are kept to split a session's buckets
 * between speakers and viewers.
 */
export class SessionsInWholeBuckets1764400000000 implements MigrationInterface {
  name = 'SessionsInWholeBuckets1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE peer_sessions ADD COLUMN join_time bigint, ADD COLUMN leave_time bigint`);
    // The rounding of attendance-rules.ts, once, for rows written before this migration.
    await q.query(`UPDATE peer_sessions SET
      join_time = floor(extract(epoch FROM joined_at) / 30)::bigint * 30,
      leave_time = CASE WHEN left_at IS NULL THEN NULL ELSE greatest(
        floor(extract(epoch FROM joined_at) / 30)::bigint * 30 + 30,
        ceil(extract(epoch FROM greatest(left_at, joined_at)) / 30)::bigint * 30) END`);
    await q.query(`ALTER TABLE peer_sessions ALTER COLUMN join_time SET NOT NULL`);
    await q.query(`ALTER TABLE peer_sessions ADD CONSTRAINT peer_sessions_whole_buckets
      CHECK (join_time % 30 = 0 AND (leave_time IS NULL OR (leave_time % 30 = 0 AND leave_time > join_time)))`);
    // The Gcore queries read these columns only: an index-only scan once the table is vacuumed.
    await q.query(`DROP INDEX peer_sessions_room_time`);
    await q.query(`CREATE INDEX peer_sessions_room_time ON peer_sessions (org_id, room_id, joined_at)
      INCLUDE (left_at, peer_id, join_time, leave_time, connection_id)`);
    // Usage and buckets: finished sessions of an organisation ending after a time.
    await q.query(`CREATE INDEX peer_sessions_finished ON peer_sessions (org_id, leave_time)
      WHERE leave_time IS NOT NULL`);
    await q.query(`DROP TABLE room_buckets`);
    await q.query(`CREATE TABLE peer_role_changes (
      event_id text PRIMARY KEY,
      org_id text NOT NULL,
      room_id text NOT NULL,
      conference_number char(8) NOT NULL,
      peer_id text NOT NULL,
      changed_at timestamptz NOT NULL,
      change_bucket bigint NOT NULL CHECK (change_bucket % 30 = 0),
      from_role text NOT NULL,
      to_role text NOT NULL
    )`);
    await q.query(`CREATE INDEX peer_role_changes_peer ON peer_role_changes
      (org_id, room_id, peer_id, conference_number, changed_at)`);
    // Pruning finds old ids by when they were applied.
    await q.query(`CREATE INDEX processed_events_age ON processed_events (processed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX processed_events_age`);
    await q.query(`DROP TABLE peer_role_changes`);
    await q.query(`CREATE TABLE room_buckets (
      org_id text NOT NULL,
      room_id text NOT NULL,
      bucket_start timestamptz NOT NULL,
      peers integer NOT NULL,
      speakers integer NOT NULL,
      viewers integer NOT NULL,
      participant_seconds bigint NOT NULL,
      PRIMARY KEY (org_id, room_id, bucket_start)
    )`);
    await q.query(`CREATE INDEX room_buckets_org_time ON room_buckets (org_id, bucket_start)`);
    await q.query(`INSERT INTO room_buckets
      SELECT org_id, room_id, to_timestamp(t), count(*), count(*) FILTER (WHERE role <> 'viewer'),
             count(*) FILTER (WHERE role = 'viewer'), count(*) * 30
      FROM peer_sessions, generate_series(join_time, leave_time - 30, 30) AS t
      WHERE leave_time IS NOT NULL GROUP BY 1, 2, 3`);
    await q.query(`DROP INDEX peer_sessions_finished`);
    await q.query(`DROP INDEX peer_sessions_room_time`);
    await q.query(`CREATE INDEX peer_sessions_room_time ON peer_sessions (org_id, room_id, joined_at)`);
    await q.query(`ALTER TABLE peer_sessions DROP CONSTRAINT peer_sessions_whole_buckets`);
    await q.query(`ALTER TABLE peer_sessions DROP COLUMN join_time, DROP COLUMN leave_time`);
  }
}
