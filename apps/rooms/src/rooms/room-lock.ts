import { EntityManager } from 'typeorm';

/**
 * Serialises every change to one room across all replicas: a transaction-scoped
 * advisory lock, released at commit or rollback. Joins, leaves and timeouts of a
 * room take it first, so counts and the one-connection-per-peer rule hold under
 * concurrency.
 */
export async function lockRoom(tx: EntityManager, orgId: string, roomId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`room:${orgId}/${roomId}`]);
}
