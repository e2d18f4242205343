import { TokenBucketRateLimiter } from './token-bucket.rate-limiter';

describe('TokenBucketRateLimiter', () => {
  it('allows the rate per second, refuses beyond it and recovers as time passes', () => {
    let now = 1_000_000;
    const limiter = new TokenBucketRateLimiter(() => now);
    const burst = Array.from({ length: 5 }, () => limiter.consume('ak_1', 4));
    expect(burst.map((d) => d.allowed)).toEqual([true, true, true, true, false]);
    expect(burst[4].retryAfterSeconds).toBe(1);
    now += 250;
    expect(limiter.consume('ak_1', 4).allowed).toBe(true);
    expect(limiter.consume('ak_1', 4).allowed).toBe(false);
  });

  it('keeps credentials apart', () => {
    const limiter = new TokenBucketRateLimiter(() => 0);
    for (let i = 0; i < 4; i++) limiter.consume('ak_1', 4);
    expect(limiter.consume('ak_1', 4).allowed).toBe(false);
    expect(limiter.consume('ak_2', 4).allowed).toBe(true);
  });

  it('gives a Retry-After long enough for slow rates', () => {
    const limiter = new TokenBucketRateLimiter(() => 0);
    limiter.consume('ak_1', 0.2);
    expect(limiter.consume('ak_1', 0.2)).toEqual({ allowed: false, retryAfterSeconds: 5 });
  });
});
