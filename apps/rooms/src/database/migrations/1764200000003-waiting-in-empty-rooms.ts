import { MigrationInterface, QueryRunner } from 'typeorm';

/** A joiner may wait in a room that is not live yet, which has no conference number. */
export class WaitingInEmptyRooms1764200000003 implements MigrationInterface {
  name = 'WaitingInEmptyRooms1764200000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE waiting_entries ALTER COLUMN conference_number DROP NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM waiting_entries WHERE conference_number IS NULL');
    await q.query('ALTER TABLE waiting_entries ALTER COLUMN conference_number SET NOT NULL');
  }
}
