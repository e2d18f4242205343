import { LaneSignals } from './lane-signals';

const lane = { target: 'https://hooks.example.com/a', lane: 'room-1' };
const other = { target: 'https://hooks.example.com/a', lane: 'room-2' };

describe('LaneSignals', () => {
  it('wakes a lane waiting for its next release at once, and not for another lane', async () => {
    const signals = new LaneSignals();
    const signal = signals.open(lane);
    let woken = false;
    const waiting = signal.nextRelease(5000).then(() => (woken = true));
    expect(signals.released([other])).toBe(false); // not running here: to be claimed
    await new Promise((r) => setTimeout(r, 10));
    expect(woken).toBe(false);
    expect(signals.released([lane])).toBe(true);
    await waiting;
    expect(signal.released).toBe(true);
    signal.close();
  });

  it('remembers a release that came while the lane was busy, so no wait follows it', async () => {
    const signals = new LaneSignals();
    const signal = signals.open(lane);
    signals.released([lane]); // e.g. while its claim ran on an older snapshot
    const started = Date.now();
    await signal.nextRelease(5000);
    expect(Date.now() - started).toBeLessThan(100);
    expect(signal.released).toBe(true);
    signal.claiming();
    expect(signal.released).toBe(false);
    signal.close();
  });

  it('gives up waiting after the time given, and every lane wakes when all are named', async () => {
    const signals = new LaneSignals();
    const a = signals.open(lane);
    const b = signals.open(other);
    const started = Date.now();
    await a.nextRelease(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    const waiting = b.nextRelease(5000);
    signals.released();
    await waiting;
    a.close();
    b.close();
  });
});
