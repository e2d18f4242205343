import { MigrationInterface, QueryRunner } from 'typeorm';

// Unqualified names: the connection's search_path is the service's schema.
export class WaitingAndModeration1764200000001 implements MigrationInterface {
  name = 'WaitingAndModeration1764200000001';

  async up(q: QueryRunner): Promise<void> {
    // Kept per room, not per life of it: a joiner may wait before anyone is in the room.
    await q.query(`CREATE TABLE waiting_entries (
      id text PRIMARY KEY,
      org_id text NOT NULL,
      room_id text NOT NULL,
      peer_id text NOT NULL,
      display_name text,
      status text NOT NULL CHECK (status IN ('pending', 'admitted', 'rejected', 'expired')),
      conference_number char(8) NOT NULL,
      ticket_hash text NOT NULL UNIQUE,
      requested_at timestamptz NOT NULL DEFAULT now(),
      decided_at timestamptz,
      decided_by text,
      FOREIGN KEY (org_id, room_id) REFERENCES rooms (org_id, room_id) ON DELETE CASCADE
    )`);
    // One pending request per peer id and room: asking again takes over the same entry.
    await q.query(
      `CREATE UNIQUE INDEX waiting_entries_pending ON waiting_entries (org_id, room_id, peer_id) WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX waiting_entries_room ON waiting_entries (org_id, room_id, requested_at)`);
    // A moderator's choices for one life of a room, over tokens, links and prepared settings.
    await q.query(`CREATE TABLE live_room_settings (
      session_id uuid PRIMARY KEY REFERENCES room_sessions (id) ON DELETE CASCADE,
      waiting_room boolean NOT NULL,
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    // Per peer id, so a reconnection keeps what a moderator forbade.
    await q.query(`CREATE TABLE peer_media_permissions (
      session_id uuid NOT NULL REFERENCES room_sessions (id) ON DELETE CASCADE,
      peer_id text NOT NULL,
      permissions jsonb NOT NULL DEFAULT '{}',
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (session_id, peer_id)
    )`);
    // Per connection: a peer that reconnects comes back with its hand down.
    await q.query(`CREATE TABLE raised_hands (
      connection_id text PRIMARY KEY REFERENCES peer_connections (connection_id) ON DELETE CASCADE,
      session_id uuid NOT NULL,
      peer_id text NOT NULL,
      raised_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['raised_hands', 'peer_media_permissions', 'live_room_settings', 'waiting_entries']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
