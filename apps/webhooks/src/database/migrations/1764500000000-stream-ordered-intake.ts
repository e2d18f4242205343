import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The intake holds many events at once, so deliveries are ordered by the events' JetStream
 * stream sequence, and numbered only once nothing earlier can still arrive: a delivery is
 * recorded 'held' (no room sequence yet) and released to 'pending' with its sequence once
 * the consumer's ack floor has passed its event.
 */
export class StreamOrderedIntake1764500000000 implements MigrationInterface {
  name = 'StreamOrderedIntake1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE intake_events ADD COLUMN stream_seq bigint`);
    await q.query(`CREATE INDEX intake_events_taken ON intake_events (taken_at)`);
    await q.query(`ALTER TABLE deliveries ADD COLUMN stream_seq bigint`);
    await q.query(`ALTER TABLE deliveries ALTER COLUMN seq DROP NOT NULL`);
    await q.query(`ALTER TABLE deliveries DROP CONSTRAINT IF EXISTS deliveries_status_check`);
    await q.query(`ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
                   CHECK (status IN ('held', 'pending', 'delivered', 'failed', 'expired'))`);
    await q.query(`ALTER TABLE deliveries ADD CONSTRAINT deliveries_held_unnumbered
                   CHECK ((status = 'held') = (seq IS NULL))`);
    await q.query(`CREATE INDEX deliveries_held ON deliveries (stream_seq) WHERE status = 'held'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS deliveries_held`);
    await q.query(`ALTER TABLE deliveries DROP CONSTRAINT IF EXISTS deliveries_held_unnumbered`);
    // Held deliveries have no number yet; they were never sent.
    await q.query(`DELETE FROM deliveries WHERE status = 'held'`);
    await q.query(`ALTER TABLE deliveries DROP CONSTRAINT IF EXISTS deliveries_status_check`);
    await q.query(`ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
                   CHECK (status IN ('pending', 'delivered', 'failed', 'expired'))`);
    await q.query(`ALTER TABLE deliveries ALTER COLUMN seq SET NOT NULL`);
    await q.query(`ALTER TABLE deliveries DROP COLUMN stream_seq`);
    await q.query(`DROP INDEX IF EXISTS intake_events_taken`);
    await q.query(`ALTER TABLE intake_events DROP COLUMN stream_seq`);
  }
}
