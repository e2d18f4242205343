import { MigrationInterface, QueryRunner } from 'typeorm';

/** A role a moderator gave a peer outlives its connection, for the room's life (like its permissions). */
export class PeerRoleOverrides1764200000004 implements MigrationInterface {
  name = 'PeerRoleOverrides1764200000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE peer_role_overrides (
      session_id uuid NOT NULL REFERENCES room_sessions (id) ON DELETE CASCADE,
      peer_id text NOT NULL,
      role text NOT NULL,
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (session_id, peer_id)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS peer_role_overrides');
  }
}
