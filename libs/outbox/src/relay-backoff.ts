export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
}

/**
 * Delay before retrying after `failures` consecutive failed batches (1-based): capped
 * doubling, initial × 2^(failures-1). No jitter: replicas already retry on their own
 * schedules, and only one of them holds the relay lock at a time.
 */
export function relayBackoffMs(failures: number, settings: BackoffSettings): number {
  if (failures < 1) return 0;
  // 2^exponent overflows to Infinity long after the cap; clamp the exponent anyway.
  const exponent = Math.min(failures - 1, 30);
  return Math.min(settings.initialMs * 2 ** exponent, settings.maxMs);
}
