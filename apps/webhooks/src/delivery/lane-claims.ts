import { ClaimedDelivery } from './deliveries.store';
import { laneKey } from './delivery-wakeup';

export interface FollowingRequest {
  target: string;
  lane: string;
  afterSeq: string;
}

/**
 * Coalesces the claims of running lanes for what follows them: while one statement is in
 * flight, the lanes that ask queue up and are claimed together in the next. A release into
 * a hundred lanes (one event, a hundred subscribers) then costs a statement or two, not a
 * hundred. Each lane gets its own deliveries; a failed statement fails every lane in it
 * (their leases lapse and the deliveries are claimed again).
 */
export class LaneClaims {
  #pending: Array<{
    request: FollowingRequest;
    resolve: (claimed: ClaimedDelivery[]) => void;
    reject: (error: unknown) => void;
  }> = [];
  #flushing = false;

  constructor(
    private readonly claimMany: (requests: FollowingRequest[]) => Promise<ClaimedDelivery[]>,
    private readonly maxLanes = 500,
  ) {}

  following(request: FollowingRequest): Promise<ClaimedDelivery[]> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ request, resolve, reject });
      if (!this.#flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.#flushing = true;
    // Let the lanes woken by the same release ask first.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.maxLanes);
      try {
        const claimed = await this.claimMany(batch.map((p) => p.request));
        const byLane = new Map<string, ClaimedDelivery[]>();
        for (const d of claimed) {
          const key = laneKey(d);
          const lane = byLane.get(key);
          if (lane) lane.push(d);
          else byLane.set(key, [d]);
        }
        for (const p of batch) p.resolve(byLane.get(laneKey(p.request)) ?? []);
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    this.#flushing = false;
  }
}
