import { relayBackoffMs } from './relay-backoff';

describe('relayBackoffMs', () => {
  const settings = { initialMs: 100, maxMs: 5000 };

  it('does not wait before the first failure', () => {
    expect(relayBackoffMs(0, settings)).toBe(0);
  });

  it('doubles from the initial delay per consecutive failure', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => relayBackoffMs(n, settings))).toEqual([
      100, 200, 400, 800, 1600, 3200,
    ]);
  });

  it('stays at the cap however long the outage lasts', () => {
    expect(relayBackoffMs(7, settings)).toBe(5000);
    expect(relayBackoffMs(10_000, settings)).toBe(5000);
  });
});
