import { MigrationInterface, QueryRunner } from 'typeorm';
import { ADMIT_JOIN_V1 } from './1764200000005-join-functions';

/** `text` with `from` replaced by `to`, refusing to run if `from` is not there exactly once. */
function replacedOnce(text: string, from: string, to: string): string {
  if (text.split(from).length !== 2) throw new Error(`admit_join: expected one "${from}"`);
  return text.replace(from, to);
}

/**
 * admit_join's generic plans (kept by PL/pgSQL for the connection's life, made when the
 * tables may be empty) reached two rows the long way:
 * - the replaced connection by its primary key, `... AND left_at IS NULL`: the live index
 *   (`WHERE left_at IS NULL`) was as cheap, scanned whole, to a planner without statistics.
 *   Without that condition only the primary key fits; the row is still changed only while
 *   it is live.
 * - the conference number: `char(8) = text` compares as text, which the number index
 *   (char) cannot serve: every live session was read whenever a room started.
 * Otherwise the same function.
 */
export class AdmitJoinByKeys1764200000009 implements MigrationInterface {
  name = 'AdmitJoinByKeys1764200000009';

  async up(q: QueryRunner): Promise<void> {
    let sql = replacedOnce(ADMIT_JOIN_V1, 'CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION');
    sql = replacedOnce(
      sql,
      `WHERE conference_number = plan->'session'->>'conference_number' AND ended_at IS NULL`,
      `WHERE conference_number = (plan->'session'->>'conference_number')::char(8) AND ended_at IS NULL`,
    );
    sql = replacedOnce(
      sql,
      `UPDATE peer_connections SET left_at = (plan->>'at')::timestamptz, leave_reason = 'replaced'
           WHERE connection_id = plan->>'replacing' AND left_at IS NULL;`,
      `UPDATE peer_connections
             SET left_at = coalesce(left_at, (plan->>'at')::timestamptz),
                 leave_reason = CASE WHEN left_at IS NULL THEN 'replaced' ELSE leave_reason END
           WHERE connection_id = plan->>'replacing';`,
    );
    await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION admit_join(jsonb)');
    await q.query(ADMIT_JOIN_V1);
  }
}
