import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox tables. A service lists this class among its own migrations; names are
 * unqualified because the connection's search_path is the service's schema.
 */
export class CreateEventOutbox1764100000000 implements MigrationInterface {
  name = 'CreateEventOutbox1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE event_outbox (
      seq bigserial PRIMARY KEY,
      event_id text NOT NULL UNIQUE,
      subject text NOT NULL,
      event_type text NOT NULL,
      schema_version int NOT NULL,
      envelope jsonb NOT NULL,
      headers jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      attempts int NOT NULL DEFAULT 0,
      last_error text
    )`);
    // Rows set aside live apart so the hot table only ever holds publishable work.
    await q.query(`CREATE TABLE event_outbox_dead (
      seq bigint PRIMARY KEY,
      event_id text NOT NULL,
      subject text NOT NULL,
      event_type text NOT NULL,
      schema_version int NOT NULL,
      envelope jsonb NOT NULL,
      headers jsonb,
      created_at timestamptz NOT NULL,
      attempts int NOT NULL,
      reason text NOT NULL,
      dead_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE event_outbox_dead`);
    await q.query(`DROP TABLE event_outbox`);
  }
}
