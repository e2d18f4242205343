import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trace context of the event a delivery comes from (W3C traceparent and tracestate, as
 * the intake saw it), so that an attempt made later, from the database, continues that trace.
 * Nullable and without a default: adding them rewrites nothing.
 */
export class DeliveryTraceContext1764700000000 implements MigrationInterface {
  name = 'DeliveryTraceContext1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries ADD COLUMN trace_parent text, ADD COLUMN trace_state text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries DROP COLUMN trace_parent, DROP COLUMN trace_state`);
  }
}
