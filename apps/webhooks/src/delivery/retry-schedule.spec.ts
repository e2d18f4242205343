import { outcomeOf, parseRetryAfter, retryDelayMs, RetryPolicy, scheduleSpanMs } from './retry-schedule';

const defaults: RetryPolicy = { baseMs: 5000, factor: 3, maxDelayMs: 8 * 3600 * 1000, maxAttempts: 12 };

describe('retry schedule', () => {
  it('grows exponentially up to the cap', () => {
    expect(retryDelayMs(defaults, 1, () => 0)).toBe(5000);
    expect(retryDelayMs(defaults, 2, () => 0)).toBe(15000);
    expect(retryDelayMs(defaults, 3, () => 0)).toBe(45000);
    expect(retryDelayMs(defaults, 20, () => 0)).toBe(8 * 3600 * 1000);
  });

  it('adds at most 25 % jitter, never less than the exact delay', () => {
    expect(retryDelayMs(defaults, 2, () => 0.999)).toBeLessThanOrEqual(15000 * 1.25);
    expect(retryDelayMs(defaults, 2, () => 0.5)).toBeGreaterThan(15000);
  });

  it('spans more than 24 hours by default', () => {
    expect(scheduleSpanMs(defaults)).toBeGreaterThanOrEqual(24 * 3600 * 1000);
  });

  it('reads Retry-After as seconds or a date, capped at a day', () => {
    const now = Date.parse('2026-11-24T18:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 18:00:30 GMT', now)).toBe(30000);
    expect(parseRetryAfter('999999999', now)).toBe(24 * 3600 * 1000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('turns an answer into delivered, gone, retry (honouring Retry-After) or failed', () => {
    expect(outcomeOf(defaults, 1, 204, undefined)).toEqual({ kind: 'delivered' });
    expect(outcomeOf(defaults, 1, 410, undefined)).toEqual({ kind: 'gone' });
    expect(outcomeOf(defaults, 1, 500, undefined, () => 0)).toEqual({ kind: 'retry', delayMs: 5000 });
    expect(outcomeOf(defaults, 1, 503, 60000, () => 0)).toEqual({ kind: 'retry', delayMs: 60000 });
    expect(outcomeOf(defaults, 1, undefined, undefined, () => 0)).toEqual({ kind: 'retry', delayMs: 5000 });
    expect(outcomeOf(defaults, 3, 302, undefined, () => 0)).toEqual({ kind: 'retry', delayMs: 45000 });
    expect(outcomeOf(defaults, 12, 500, undefined)).toEqual({ kind: 'failed' });
  });
});
