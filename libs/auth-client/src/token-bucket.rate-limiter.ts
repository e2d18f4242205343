export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until one request would be allowed (for Retry-After). */
  retryAfterSeconds: number;
}

/**
 * One token bucket per credential: `rate` requests per second sustained, bursts up
 * to `rate`. In memory, per replica (a shared limit across replicas comes with the
 * scale-out work).
 */
export class TokenBucketRateLimiter {
  readonly #buckets = new Map<string, { tokens: number; updatedMs: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  consume(key: string, ratePerSecond: number): RateDecision {
    const now = this.now();
    const capacity = Math.max(1, ratePerSecond);
    const bucket = this.#buckets.get(key) ?? { tokens: capacity, updatedMs: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedMs) / 1000) * ratePerSecond);
    bucket.updatedMs = now;
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > 100_000) this.evictIdle(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerSecond)) };
  }

  private evictIdle(now: number): void {
    for (const [key, bucket] of this.#buckets) if (now - bucket.updatedMs > 60_000) this.#buckets.delete(key);
  }
}
