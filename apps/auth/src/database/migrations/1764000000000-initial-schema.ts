import { MigrationInterface, QueryRunner } from 'typeorm';

// Unqualified names: the connection's search_path is the service's schema.
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE organisations (
      id text PRIMARY KEY,
      name text NOT NULL,
      rate_limit_per_second double precision,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE api_keys (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      name text,
      secret_sealed text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`);
    await q.query(`CREATE INDEX api_keys_org_created ON api_keys (org_id, created_at)`);
    await q.query(`CREATE TABLE refresh_tokens (
      token_hash text PRIMARY KEY,
      family_id text NOT NULL,
      client_id text NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
      org_id text NOT NULL,
      scope text NOT NULL,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      revoked_at timestamptz
    )`);
    await q.query(`CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)`);
    await q.query(`CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at)`);
    await q.query(`CREATE TABLE signing_keys (
      kid text PRIMARY KEY,
      alg text NOT NULL,
      status text NOT NULL CHECK (status IN ('next', 'active', 'retired')),
      public_jwk jsonb NOT NULL,
      private_key_sealed text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      activated_at timestamptz,
      publish_until timestamptz
    )`);
    // At most one key signs at a time, and at most one waits to.
    await q.query(
      `CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (status) WHERE status IN ('active', 'next')`,
    );
    await q.query(`CREATE TABLE organisation_public_keys (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      name text,
      public_key_pem text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`);
    await q.query(`CREATE INDEX organisation_public_keys_org ON organisation_public_keys (org_id)`);
    await q.query(`CREATE TABLE alias_credentials (
      alias_id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      room_id text NOT NULL,
      secret_sealed text NOT NULL,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX alias_credentials_org ON alias_credentials (org_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'alias_credentials',
      'organisation_public_keys',
      'signing_keys',
      'refresh_tokens',
      'api_keys',
      'organisations',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
