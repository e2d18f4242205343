import type { EntityManager } from 'typeorm';

/**
 * The lock that serialises releases of held deliveries across replicas (see
 * HeldDeliveriesStore). Whatever else changes held deliveries takes it too, in its
 * transaction, so that a release never numbers a delivery settled meanwhile.
 */
export const RELEASE_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.release'))`;

export async function takeReleaseLock(tx: EntityManager): Promise<void> {
  await tx.query(RELEASE_LOCK_SQL);
}
