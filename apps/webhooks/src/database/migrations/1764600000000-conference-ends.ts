import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A conference's end is kept (ended_at) instead of deleting its row, so that its start,
 * taken in after the end (by another replica at the same moment, or redelivered after a
 * crash), finds it ended and does not list a finished conference as live.
 */
export class ConferenceEnds1764600000000 implements MigrationInterface {
  name = 'ConferenceEnds1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE live_conferences ADD COLUMN ended_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM live_conferences WHERE ended_at IS NOT NULL`);
    await q.query(`ALTER TABLE live_conferences DROP COLUMN ended_at`);
  }
}
