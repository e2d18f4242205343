import { MigrationInterface, QueryRunner } from 'typeorm';

export class ExpiredDeliveries1764400000001 implements MigrationInterface {
  name = 'ExpiredDeliveries1764400000001';

  // 'expired': dropped unsent because every subscription wanting it had expired.
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries DROP CONSTRAINT IF EXISTS deliveries_status_check`);
    await q.query(`ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
                   CHECK (status IN ('pending', 'delivered', 'failed', 'expired'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE deliveries SET status = 'failed' WHERE status = 'expired'`);
    await q.query(`ALTER TABLE deliveries DROP CONSTRAINT IF EXISTS deliveries_status_check`);
    await q.query(`ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
                   CHECK (status IN ('pending', 'delivered', 'failed'))`);
  }
}
