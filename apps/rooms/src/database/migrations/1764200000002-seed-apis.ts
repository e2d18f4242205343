import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables of the seed vendors' APIs: Coviu subscriptions and session entries, Datagram aliases. */
export class SeedApis1764200000002 implements MigrationInterface {
  name = 'SeedApis1764200000002';

  async up(q: QueryRunner): Promise<void> {
    // A Coviu host subscription: who may own sessions, known by the integrator's ref.
    await q.query(`CREATE TABLE coviu_subscriptions (
      subscription_id text PRIMARY KEY,
      org_id text NOT NULL,
      ref text NOT NULL,
      email text NOT NULL,
      name text NOT NULL,
      started timestamptz NOT NULL DEFAULT now(),
      ended timestamptz,
      active boolean NOT NULL DEFAULT true
    )`);
    // An owner's ref must name exactly one active subscription.
    await q.query(
      `CREATE UNIQUE INDEX coviu_subscriptions_active_ref ON coviu_subscriptions (org_id, ref) WHERE active`,
    );
    await q.query(
      `CREATE INDEX coviu_subscriptions_page ON coviu_subscriptions (org_id, started, subscription_id)`,
    );
    // One row per grant. The participant token itself is never kept, only its SHA-256.
    await q.query(`CREATE TABLE session_entries (
      entry_id text PRIMARY KEY,
      org_id text NOT NULL,
      session_id text NOT NULL,
      room_session_id uuid NOT NULL,
      connection_id text NOT NULL,
      peer_id text NOT NULL,
      name text,
      role text NOT NULL,
      client_id text,
      subscription_id text,
      access_token_sha256 text,
      entry_time timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX session_entries_page ON session_entries (org_id, entry_time, entry_id)`);
    await q.query(
      `CREATE INDEX session_entries_session ON session_entries (org_id, session_id, entry_time, entry_id)`,
    );
    await q.query(
      `CREATE INDEX session_entries_subscription ON session_entries (subscription_id) WHERE subscription_id IS NOT NULL`,
    );
    // A Datagram alias. Its jwt_secret lives (sealed) in the auth service only.
    await q.query(`CREATE TABLE aliases (
      id text PRIMARY KEY,
      org_id text NOT NULL,
      type text NOT NULL CHECK (type IN ('conference', 'live')),
      name text,
      passcode text,
      stream_key text,
      room_id text NOT NULL,
      expired_at timestamptz NOT NULL,
      inserted_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX aliases_org ON aliases (org_id, inserted_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['aliases', 'session_entries', 'coviu_subscriptions']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
