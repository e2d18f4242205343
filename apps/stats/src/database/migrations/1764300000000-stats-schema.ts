import { MigrationInterface, QueryRunner } from 'typeorm';

// Unqualified names: the connection's search_path is the service's schema.
export class StatsSchema1764300000000 implements MigrationInterface {
  name = 'StatsSchema1764300000000';

  async up(q: QueryRunner): Promise<void> {
    // Every event applied, written in the transaction that applied it: a redelivery or a
    // replay finds its id here and changes nothing.
    await q.query(`CREATE TABLE processed_events (
      event_id text PRIMARY KEY,
      processed_at timestamptz NOT NULL DEFAULT now()
    )`);
    // One row per connection: a peer who left and came back has two. left_at NULL: still present.
    await q.query(`CREATE TABLE peer_sessions (
      org_id text NOT NULL,
      room_id text NOT NULL,
      connection_id text NOT NULL,
      peer_id text NOT NULL,
      conference_number char(8) NOT NULL,
      role text NOT NULL,
      face text NOT NULL,
      joined_at timestamptz NOT NULL,
      left_at timestamptz,
      leave_reason text,
      PRIMARY KEY (org_id, room_id, connection_id)
    )`);
    await q.query(`CREATE INDEX peer_sessions_room_time ON peer_sessions (org_id, room_id, joined_at)`);
    await q.query(`CREATE INDEX peer_sessions_open ON peer_sessions (org_id) WHERE left_at IS NULL`);
    // Closed sessions only: a session is added to its buckets once, when its leave is known.
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
    // One life of a room, from room.started (or its first event) to room.ended.
    await q.query(`CREATE TABLE room_lives (
      org_id text NOT NULL,
      room_id text NOT NULL,
      conference_number char(8) NOT NULL,
      started_at timestamptz NOT NULL,
      ended_at timestamptz,
      end_reason text,
      PRIMARY KEY (org_id, room_id, conference_number, started_at)
    )`);
    await q.query(`CREATE INDEX room_lives_live ON room_lives (org_id) WHERE ended_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE room_lives`);
    await q.query(`DROP TABLE room_buckets`);
    await q.query(`DROP TABLE peer_sessions`);
    await q.query(`DROP TABLE processed_events`);
  }
}
