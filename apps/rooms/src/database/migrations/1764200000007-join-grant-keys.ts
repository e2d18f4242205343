import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The public halves of the keys rooms replicas sign join grants with. Each replica makes
 * its own key pair in memory and lists the public key here, renewing `listed_until` while
 * it lives; the private half never leaves the process.
 */
export class JoinGrantKeys1764200000007 implements MigrationInterface {
  name = 'JoinGrantKeys1764200000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE join_grant_keys (
      kid text PRIMARY KEY,
      public_jwk jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      listed_until timestamptz NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS join_grant_keys');
  }
}
