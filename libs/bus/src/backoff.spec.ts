import { DEFAULT_BACKOFF_MS, backoffFor } from './backoff';

describe('backoffFor', () => {
  it('takes the n-th delay after the n-th failed delivery', () => {
    expect(backoffFor(1, DEFAULT_BACKOFF_MS)).toBe(1000);
    expect(backoffFor(2, DEFAULT_BACKOFF_MS)).toBe(5000);
    expect(backoffFor(4, DEFAULT_BACKOFF_MS)).toBe(30000);
  });

  it('keeps the last delay once the schedule is exhausted', () => {
    expect(backoffFor(5, [50, 100])).toBe(100);
    expect(backoffFor(Number.MAX_SAFE_INTEGER, [50, 100])).toBe(100);
  });

  it('treats out-of-range counts and an empty schedule safely', () => {
    expect(backoffFor(0, [50, 100])).toBe(50);
    expect(backoffFor(-3, [50, 100])).toBe(50);
    expect(backoffFor(3, [])).toBe(0);
  });
});
