import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per completed recording part, keyed by its part id: a part reported again (a
 * redelivery, a replay, a republication under another event id) is the same row. `seconds` is
 * already whole (recorded-time-rules.ts) and `day` the UTC day it counts on, so usage only sums.
 */
export class RecordedParts1764800000000 implements MigrationInterface {
  name = 'RecordedParts1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE recorded_parts (
      org_id text NOT NULL,
      part_id text NOT NULL,
      room_id text NOT NULL,
      recording_id text NOT NULL,
      part_number integer NOT NULL,
      started_at timestamptz NOT NULL,
      ended_at timestamptz NOT NULL,
      day date NOT NULL,
      seconds integer NOT NULL,
      interrupted boolean NOT NULL,
      PRIMARY KEY (org_id, part_id)
    )`);
    // Usage reads an organisation's parts by the time they started.
    await q.query(`CREATE INDEX recorded_parts_org_time ON recorded_parts (org_id, started_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE recorded_parts`);
  }
}
