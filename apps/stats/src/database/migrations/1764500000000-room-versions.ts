import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A counter per room, bumped in every transaction that writes one of its sessions: a replica
 * that kept an answer about the room knows, by one key lookup, whether it still holds.
 */
export class RoomVersions1764500000000 implements MigrationInterface {
  name = 'RoomVersions1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE room_versions (
      org_id text NOT NULL,
      room_id text NOT NULL,
      version bigint NOT NULL,
      PRIMARY KEY (org_id, room_id)
    )`);
    await q.query(`INSERT INTO room_versions SELECT DISTINCT org_id, room_id, 1 FROM peer_sessions`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE room_versions`);
  }
}
