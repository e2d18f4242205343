export interface RetryPolicy {
  baseMs: number;
  factor: number;
  maxDelayMs: number;
  maxAttempts: number;
}

/** Longest Retry-After honoured: a receiver cannot park a delivery for longer than a day. */
export const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;

/**
 * Delay before the attempt after failed attempt `attempt` (1-based): exponential,
 * capped, plus up to 25 % jitter. Jitter only lengthens, so the whole schedule never
 * spans less than the policy promises.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const exact = Math.min(policy.maxDelayMs, policy.baseMs * policy.factor ** Math.max(0, attempt - 1));
  return Math.round(exact * (1 + 0.25 * random()));
}

/** The time from the first attempt to the last, without jitter. */
export function scheduleSpanMs(policy: RetryPolicy): number {
  let total = 0;
  for (let attempt = 1; attempt < policy.maxAttempts; attempt++)
    total += retryDelayMs(policy, attempt, () => 0);
  return total;
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MS);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
}

export type AttemptOutcome =
  { kind: 'delivered' } | { kind: 'gone' } | { kind: 'retry'; delayMs: number } | { kind: 'failed' };

/** What follows attempt number `attempt` that answered `status` (undefined: no answer). */
export function outcomeOf(
  policy: RetryPolicy,
  attempt: number,
  status: number | undefined,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): AttemptOutcome {
  if (status !== undefined && status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 410) return { kind: 'gone' };
  if (attempt >= policy.maxAttempts) return { kind: 'failed' };
  const backoff = retryDelayMs(policy, attempt, random);
  return { kind: 'retry', delayMs: retryAfterMs !== undefined ? Math.max(retryAfterMs, 0) : backoff };
}
