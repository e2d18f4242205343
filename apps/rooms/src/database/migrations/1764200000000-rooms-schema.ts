import { MigrationInterface, QueryRunner } from 'typeorm';

// Unqualified names: the connection's search_path is the service's schema.
export class RoomsSchema1764200000000 implements MigrationInterface {
  name = 'RoomsSchema1764200000000';

  async up(q: QueryRunner): Promise<void> {
    // A room id is the integrator's own name, unique within its organisation.
    await q.query(`CREATE TABLE rooms (
      org_id text NOT NULL,
      room_id text NOT NULL,
      settings jsonb NOT NULL DEFAULT '{}',
      prepared boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, room_id)
    )`);
    // One row per life of a room, from its first participant to its last.
    await q.query(`CREATE TABLE room_sessions (
      id uuid PRIMARY KEY,
      org_id text NOT NULL,
      room_id text NOT NULL,
      conference_number char(8) NOT NULL,
      media_server text NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      ended_at timestamptz,
      end_reason text,
      FOREIGN KEY (org_id, room_id) REFERENCES rooms (org_id, room_id) ON DELETE CASCADE
    )`);
    await q.query(
      `CREATE UNIQUE INDEX room_sessions_live ON room_sessions (org_id, room_id) WHERE ended_at IS NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX room_sessions_live_number ON room_sessions (conference_number) WHERE ended_at IS NULL`,
    );
    await q.query(`CREATE INDEX room_sessions_room_started ON room_sessions (org_id, room_id, started_at)`);
    await q.query(`CREATE TABLE peer_connections (
      connection_id text PRIMARY KEY,
      session_id uuid NOT NULL REFERENCES room_sessions (id) ON DELETE CASCADE,
      org_id text NOT NULL,
      room_id text NOT NULL,
      peer_id text NOT NULL,
      display_name text,
      role text NOT NULL,
      face text NOT NULL,
      attributes jsonb NOT NULL DEFAULT '{}',
      callbacks jsonb,
      joined_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      left_at timestamptz,
      leave_reason text
    )`);
    // One live connection per peer id and room: a second one replaces the first.
    await q.query(
      `CREATE UNIQUE INDEX peer_connections_live ON peer_connections (session_id, peer_id) WHERE left_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX peer_connections_heartbeat ON peer_connections (last_seen_at) WHERE left_at IS NULL`,
    );
    await q.query(`CREATE INDEX peer_connections_room ON peer_connections (org_id, room_id, joined_at)`);
    // tokenLifetime counts from a token's first connection.
    await q.query(`CREATE TABLE token_first_uses (
      token_hash text PRIMARY KEY,
      first_used_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['token_first_uses', 'peer_connections', 'room_sessions', 'rooms']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
