import { MigrationInterface, QueryRunner } from 'typeorm';

// Unqualified names: the connection's search_path is the service's schema.
export class WebhooksSchema1764300000000 implements MigrationInterface {
  name = 'WebhooksSchema1764300000000';

  async up(q: QueryRunner): Promise<void> {
    // kind 'glayr': one room (the conference), with an expiry; kind 'native': every room
    // of the organisation unless room_id is set, optionally only some event types.
    await q.query(`CREATE TABLE subscriptions (
      id uuid PRIMARY KEY,
      org_id text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('glayr', 'native')),
      room_id text,
      endpoint text NOT NULL,
      event_types text[],
      signing_secret text,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
      disabled_reason text,
      expires_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX subscriptions_org ON subscriptions (org_id) WHERE status = 'active'`);
    // The live rooms and their conference numbers, projected from room.started / room.ended.
    await q.query(`CREATE TABLE live_conferences (
      org_id text NOT NULL,
      room_id text NOT NULL,
      conference_number char(8) NOT NULL,
      started_at timestamptz NOT NULL,
      PRIMARY KEY (org_id, room_id)
    )`);
    await q.query(`CREATE INDEX live_conferences_number ON live_conferences (conference_number)`);
    // Events already taken in: a redelivered JetStream message records nothing twice.
    await q.query(`CREATE TABLE intake_events (
      event_id text PRIMARY KEY,
      taken_at timestamptz NOT NULL DEFAULT now()
    )`);
    // The exact body of an event as every subscriber receives it, hashed once.
    await q.query(`CREATE TABLE event_bodies (
      event_id text PRIMARY KEY,
      body text NOT NULL,
      body_sha256 text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    // One row per event and target URL, whatever the number of subscriptions naming it.
    await q.query(`CREATE TABLE deliveries (
      id bigserial PRIMARY KEY,
      event_id text NOT NULL,
      event_type text NOT NULL,
      target text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('event', 'gcore')),
      org_id text NOT NULL,
      lane text NOT NULL,
      seq bigint NOT NULL,
      subscription_ids uuid[] NOT NULL DEFAULT '{}',
      body text,
      body_sha256 text,
      auth_header text,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      leased_until timestamptz,
      last_status integer,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz,
      UNIQUE (event_id, target)
    )`);
    await q.query(`CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX deliveries_lane ON deliveries (target, lane, seq) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX deliveries_subscriptions ON deliveries USING gin (subscription_ids)`);
    await q.query(`CREATE INDEX deliveries_created ON deliveries (created_at)`);
    // Per target and room: the last sequence number given.
    await q.query(`CREATE TABLE lane_sequences (
      target text NOT NULL,
      lane text NOT NULL,
      last_seq bigint NOT NULL,
      PRIMARY KEY (target, lane)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'lane_sequences',
      'deliveries',
      'event_bodies',
      'intake_events',
      'live_conferences',
      'subscriptions',
    ])
      await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
