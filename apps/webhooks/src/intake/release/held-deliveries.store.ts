import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { LaneRef } from '../../delivery/delivery-wakeup';
import { HeldDeliveries } from './held-deliveries.port';
import { RELEASE_LOCK_SQL } from './release-lock';

@Injectable()
export class HeldDeliveriesStore implements HeldDeliveries {
  constructor(private readonly db: DataSource) {}

  /**
   * One round trip: two statements in one simple query, which PostgreSQL runs as one
   * transaction. The advisory lock on the schema serialises releases across replicas (two
   * at once would hand out the same numbers) and, taken by the first statement, is held
   * when the second takes its snapshot. Each lane's held deliveries up to the floor take
   * the lane's next numbers in stream order and become pending. The floor is a checked
   * integer: the simple protocol has no parameters.
   */
  async releaseUpTo(floor: number): Promise<LaneRef[]> {
    if (!Number.isSafeInteger(floor) || floor < 0) throw new Error(`not a stream sequence: ${floor}`);
    // The driver's own client: TypeORM's query() keeps one statement's result only.
    const runner = this.db.createQueryRunner();
    try {
      const client = (await runner.connect()) as { query(sql: string): Promise<unknown> };
      return releasedLanes(
        await client.query(
          `${RELEASE_LOCK_SQL};
       WITH held AS (
         SELECT id, target, lane, row_number() OVER (PARTITION BY target, lane ORDER BY stream_seq, id) AS n
           FROM deliveries WHERE status = 'held' AND stream_seq <= ${floor}),
       counts AS (SELECT target, lane, max(n) AS c FROM held GROUP BY target, lane),
       seqs AS (
         INSERT INTO lane_sequences AS l (target, lane, last_seq)
         SELECT target, lane, c FROM counts ORDER BY target, lane
         ON CONFLICT (target, lane) DO UPDATE SET last_seq = l.last_seq + excluded.last_seq, updated_at = now()
         RETURNING target, lane, last_seq),
       released AS (
         UPDATE deliveries d SET status = 'pending', seq = s.last_seq - c.c + h.n, updated_at = now()
           FROM held h
           JOIN counts c ON c.target = h.target AND c.lane = h.lane
           JOIN seqs s ON s.target = h.target AND s.lane = h.lane
          WHERE d.id = h.id
         RETURNING d.target, d.lane)
       SELECT DISTINCT target, lane FROM released`,
        ),
      );
    } finally {
      await runner.release();
    }
  }
}

/** The lanes the second statement answered, however the driver shapes a multi-statement result. */
function releasedLanes(results: unknown): LaneRef[] {
  const last = (Array.isArray(results) ? results[results.length - 1] : results) as
    { rows?: LaneRef[] } | undefined;
  return (last?.rows ?? []).map((r) => ({ target: r.target, lane: r.lane }));
}
