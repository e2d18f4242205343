import { MigrationInterface, QueryRunner } from 'typeorm';

/** The purge of expired alias credentials looks them up by expiry. */
export class AliasCredentialExpiryIndex1764000000002 implements MigrationInterface {
  name = 'AliasCredentialExpiryIndex1764000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX alias_credentials_expires ON alias_credentials (expires_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS alias_credentials_expires');
  }
}
