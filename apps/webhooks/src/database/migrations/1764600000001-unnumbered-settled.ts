import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A held delivery that no subscription wants any more (deleted, disabled or expired while
 * it waited for its number) is settled without ever being numbered, so the numbers of its
 * lane keep running 1, 2, 3, … for the deliveries that are sent. Held ones have no number,
 * pending and delivered ones always have one; failed and expired ones may have none.
 */
export class UnnumberedSettled1764600000001 implements MigrationInterface {
  name = 'UnnumberedSettled1764600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries DROP CONSTRAINT IF EXISTS deliveries_held_unnumbered`);
    await q.query(`ALTER TABLE deliveries ADD CONSTRAINT deliveries_held_unnumbered
                   CHECK ((status <> 'held' OR seq IS NULL)
                      AND (status NOT IN ('pending', 'delivered') OR seq IS NOT NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Never numbered, never sent: they leave the log rather than take a number now.
    await q.query(`DELETE FROM deliveries WHERE seq IS NULL AND status <> 'held'`);
    await q.query(`ALTER TABLE deliveries DROP CONSTRAINT IF EXISTS deliveries_held_unnumbered`);
    await q.query(`ALTER TABLE deliveries ADD CONSTRAINT deliveries_held_unnumbered
                   CHECK ((status = 'held') = (seq IS NULL))`);
  }
}
