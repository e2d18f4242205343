import { laneKey, LaneRef } from './delivery-wakeup';

/** What a running lane hears of releases into it. */
export interface LaneSignal {
  /** Whether something was released into the lane since its last claim began. */
  readonly released: boolean;
  /** A claim of the lane begins: it sees every release so far. */
  claiming(): void;
  /** Resolves at the lane's next release, when every lane is woken (shutdown), or after `ms`. */
  nextRelease(ms: number): Promise<void>;
}

/**
 * Tells lanes running in this process that the release gave them deliveries. A release
 * that comes while the lane is busy (sending, or claiming on a snapshot that may predate
 * it) is remembered, so the lane claims once more rather than waiting for the next one.
 */
export class LaneSignals {
  readonly #lanes = new Map<string, { released: boolean; wake?: () => void }>();

  /** A lane starts running here; close() when it stops. */
  open(lane: LaneRef): LaneSignal & { close(): void } {
    const key = laneKey(lane);
    const state: { released: boolean; wake?: () => void } = { released: false };
    this.#lanes.set(key, state);
    return {
      get released() {
        return state.released;
      },
      claiming: () => {
        state.released = false;
      },
      nextRelease: (ms) =>
        new Promise<void>((resolve) => {
          if (state.released) return resolve();
          const timer = setTimeout(() => wake(), ms);
          const wake = () => {
            clearTimeout(timer);
            state.wake = undefined;
            resolve();
          };
          state.wake = wake;
        }),
      close: () => {
        if (this.#lanes.get(key) === state) this.#lanes.delete(key);
        state.wake?.();
      },
    };
  }

  /**
   * Deliveries were released into these lanes (all running lanes when not said). Answers
   * whether every lane named runs here: then they take the deliveries themselves and no
   * claim of due lanes is needed.
   */
  released(lanes?: readonly LaneRef[]): boolean {
    const states = lanes ? lanes.map((l) => this.#lanes.get(laneKey(l))) : [...this.#lanes.values()];
    for (const state of states) {
      if (!state) continue;
      state.released = true;
      state.wake?.();
    }
    return lanes !== undefined && states.every((s) => s !== undefined);
  }
}
