import { CallDrain, DrainableRooms } from './call-drain';

class RoomsHere implements DrainableRooms {
  all: string[] = [];
  refusing = false;
  refuseNewRooms(): void {
    this.refusing = true;
  }
}

describe('draining a media server', () => {
  let clock: number;
  let rooms: RoomsHere;
  let announced: number;
  const nodeLoad = { markDraining: async () => void (announced += 1) };
  // The clock moves only when the drain waits (each wait is one poll), and each wait lets
  // the event loop turn, as a real one does.
  const sleep = (ms: number) =>
    new Promise<void>((resolve) =>
      setImmediate(() => {
        clock += ms;
        resolve();
      }),
    );
  const drain = (graceSeconds: number, announce = true) =>
    new CallDrain(rooms, nodeLoad, { graceSeconds, announce, pollMs: 1000 }, sleep, () => clock);

  beforeEach(() => {
    clock = 0;
    rooms = new RoomsHere();
    announced = 0;
  });

  it('refuses new rooms at once, says so, and waits for the calls to end', async () => {
    rooms.all = ['a', 'b'];
    const waiting = drain(3600).untilCallsEnd();
    await Promise.resolve();
    expect(rooms.refusing).toBe(true);
    expect(announced).toBe(1);
    // The calls end on their own, one after the other.
    setTimeout(() => rooms.all.pop(), 5);
    setTimeout(() => rooms.all.pop(), 10);
    expect(await waiting).toBe('ended');
    expect(rooms.all).toEqual([]);
    expect(clock).toBeLessThan(3600 * 1000);
  });

  it('stops waiting when the grace is over, with calls still running', async () => {
    rooms.all = ['long-webinar'];
    expect(await drain(5 * 3600).untilCallsEnd()).toBe('grace_over');
    expect(clock).toBe(5 * 3600 * 1000);
  });

  it('closes at once without a grace, as a developer’s machine does', async () => {
    rooms.all = ['a'];
    expect(await drain(0).untilCallsEnd()).toBe('no_grace');
    expect(rooms.refusing).toBe(false);
    expect(announced).toBe(0);
  });

  it('does not announce when load reports are off', async () => {
    expect(await drain(60, false).untilCallsEnd()).toBe('ended');
    expect(rooms.refusing).toBe(true);
    expect(announced).toBe(0);
  });
});
