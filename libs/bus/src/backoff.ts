export const DEFAULT_BACKOFF_MS: readonly number[] = [1000, 5000, 15000, 30000];
export const DEFAULT_MAX_DELIVER = 5;

/**
 * The redelivery delay after delivery number `deliveryCount` (1-based) failed: the n-th
 * entry of the schedule, its last entry once the schedule is exhausted.
 */
export function backoffFor(deliveryCount: number, schedule: readonly number[]): number {
  if (schedule.length === 0) return 0;
  const index = Math.min(Math.max(deliveryCount, 1), schedule.length) - 1;
  return schedule[index];
}
