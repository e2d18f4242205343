import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HeldDeliveries } from './held-deliveries.port';

@Injectable()
export class HeldDeliveriesStore implements HeldDeliveries {
  constructor(private readonly db: DataSource) {}

  /**
   * One transaction, serialised across replicas by an advisory lock on the schema (two
   * releases at once would hand out the same numbers): each lane's held deliveries up to
   * the floor take the lane's next numbers in stream order and become pending.
   */
  async releaseUpTo(floor: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.release'))`);
      const [row] = (await tx.query(
        `WITH held AS (
           SELECT id, target, lane, row_number() OVER (PARTITION BY target, lane ORDER BY stream_seq, id) AS n
             FROM deliveries WHERE status = 'held' AND stream_seq <= $1),
         counts AS (SELECT target, lane, max(n) AS c FROM held GROUP BY target, lane),
         seqs AS (
           INSERT INTO lane_sequences AS l (target, lane, last_seq)
           SELECT target, lane, c FROM counts ORDER BY target, lane
           ON CONFLICT (target, lane) DO UPDATE SET last_seq = l.last_seq + excluded.last_seq
           RETURNING target, lane, last_seq),
         released AS (
           UPDATE deliveries d SET status = 'pending', seq = s.last_seq - c.c + h.n, updated_at = now()
             FROM held h
             JOIN counts c ON c.target = h.target AND c.lane = h.lane
             JOIN seqs s ON s.target = h.target AND s.lane = h.lane
            WHERE d.id = h.id
           RETURNING 1)
         SELECT count(*)::int AS released FROM released`,
        [floor],
      )) as Array<{ released: number }>;
      return row?.released ?? 0;
    });
  }
}
