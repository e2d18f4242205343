import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A family revoked by a replayed refresh token stays revoked even for a successor
 * token written after the revocation (redemption and the successor's insert are not
 * one transaction), so revocation is recorded per family, not only per row.
 */
export class RevokedTokenFamilies1764000000001 implements MigrationInterface {
  name = 'RevokedTokenFamilies1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE revoked_token_families (
      family_id text PRIMARY KEY,
      revoked_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX revoked_token_families_revoked_at ON revoked_token_families (revoked_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS revoked_token_families');
  }
}
