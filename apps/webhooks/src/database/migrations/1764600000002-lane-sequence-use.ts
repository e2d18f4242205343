import { MigrationInterface, QueryRunner } from 'typeorm';

/** When each lane (endpoint and room) last took a number, so that long-idle lanes can be pruned. */
export class LaneSequenceUse1764600000002 implements MigrationInterface {
  name = 'LaneSequenceUse1764600000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE lane_sequences ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(`CREATE INDEX lane_sequences_idle ON lane_sequences (updated_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS lane_sequences_idle`);
    await q.query(`ALTER TABLE lane_sequences DROP COLUMN updated_at`);
  }
}
