import { MigrationInterface, QueryRunner } from 'typeorm';

export class EndpointHealth1764400000000 implements MigrationInterface {
  name = 'EndpointHealth1764400000000';

  async up(q: QueryRunner): Promise<void> {
    // Endpoints whose last attempt failed, and since when (reset by a later success).
    await q.query(`CREATE TABLE endpoint_health (
      target text PRIMARY KEY,
      failing_since timestamptz NOT NULL
    )`);
    // The last success of a target, found without scanning its history.
    await q.query(
      `CREATE INDEX deliveries_delivered ON deliveries (target, delivered_at) WHERE status = 'delivered'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS deliveries_delivered`);
    await q.query(`DROP TABLE IF EXISTS endpoint_health`);
  }
}
