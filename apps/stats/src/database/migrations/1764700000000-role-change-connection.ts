import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The connection a role change names, when its event carries one: the change then belongs to
 * that session exactly. Older events name only the peer, and are still placed by time (NULL).
 */
export class RoleChangeConnection1764700000000 implements MigrationInterface {
  name = 'RoleChangeConnection1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE peer_role_changes ADD COLUMN connection_id text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE peer_role_changes DROP COLUMN connection_id`);
  }
}
