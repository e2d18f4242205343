import { DeliveryWakeup, LaneRef } from '../../delivery/delivery-wakeup';
import { FakeConsumerProgress } from './consumer-progress.fake';
import { ConsumerProgress } from './consumer-progress.port';
import { DeliveryRelease } from './delivery-release';
import { HeldDeliveries } from './held-deliveries.port';

class RecordingHeldDeliveries implements HeldDeliveries {
  readonly floors: number[] = [];
  async releaseUpTo(floor: number): Promise<LaneRef[]> {
    this.floors.push(floor);
    return [{ target: 'https://hooks.example.com', lane: 'room-1' }];
  }
}

describe('DeliveryRelease', () => {
  let progress: FakeConsumerProgress;
  let held: RecordingHeldDeliveries;
  let wakeups: number;
  let release: DeliveryRelease;

  beforeEach(() => {
    progress = new FakeConsumerProgress();
    held = new RecordingHeldDeliveries();
    wakeups = 0;
    const wakeup = new DeliveryWakeup();
    wakeup.onWake(() => wakeups++);
    release = new DeliveryRelease(progress, held, wakeup, {
      WEBHOOK_POLL_MS: 20,
      WEBHOOKS_RELEASE_PAUSE_MS: 1,
    });
  });
  afterEach(() => release.onApplicationShutdown());

  it('releases once at start-up what earlier processes left held, then only when the floor moves', async () => {
    progress.floor = 7;
    release.onApplicationBootstrap();
    await release.settled();
    expect(held.floors).toEqual([7]);
    await new Promise((r) => setTimeout(r, 50)); // timer passes, floor unchanged
    expect(held.floors).toEqual([7]);
    progress.floor = 9;
    await new Promise((r) => setTimeout(r, 50));
    expect(held.floors).toEqual([7, 9]);
    expect(wakeups).toBe(2);
  });

  it('after recording, waits for the floor to pass what was recorded before releasing it', async () => {
    progress.floor = 3;
    release.onApplicationBootstrap();
    await release.settled();
    release.recorded(5);
    await new Promise((r) => setTimeout(r, 10));
    // The floor has not passed 5: nothing beyond 3 released, the floor is asked again and again.
    expect(held.floors).toEqual([3]);
    expect(progress.calls).toBeGreaterThan(2);
    progress.floor = 5;
    await new Promise((r) => setTimeout(r, 30));
    expect(held.floors).toEqual([3, 5]);
  });

  it('keeps going after a failed look at the floor', async () => {
    const failing: ConsumerProgress = { ackFloor: async () => Promise.reject(new Error('nats down')) };
    const wakeup = new DeliveryWakeup();
    const r = new DeliveryRelease(failing, held, wakeup, {
      WEBHOOK_POLL_MS: 10,
      WEBHOOKS_RELEASE_PAUSE_MS: 1,
    });
    r.onApplicationBootstrap();
    await r.settled();
    failing.ackFloor = async () => 4;
    await new Promise((resolve) => setTimeout(resolve, 40));
    await r.onApplicationShutdown();
    expect(held.floors).toEqual([4]);
  });
});
