import { ChatRate } from './chat-rate';

describe('ChatRate', () => {
  it('allows a burst, then the steady rate', () => {
    let now = 0;
    const rate = new ChatRate(3, 2, () => now);
    expect([rate.take(), rate.take(), rate.take(), rate.take()]).toEqual([true, true, true, false]);
    now = 499;
    expect(rate.take()).toBe(false);
    now = 500;
    expect(rate.take()).toBe(true);
    expect(rate.take()).toBe(false);
    now = 60_000;
    expect([rate.take(), rate.take(), rate.take(), rate.take()]).toEqual([true, true, true, false]);
  });
});
