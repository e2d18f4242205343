import { Logger } from '@nestjs/common';
import type { NodeLoadAnnouncer } from '../node-load/node-load.announcer';

/** What the drain needs of the room registry. */
export interface DrainableRooms {
  readonly all: readonly unknown[];
  refuseNewRooms(): void;
}

export interface CallDrainOptions {
  graceSeconds: number;
  /** Load reports are on: tell the rooms service at once, and keep telling it. */
  announce: boolean;
  pollMs?: number;
}

/**
 * A media server told to stop (a deploy, a node drained for maintenance) lets its calls end
 * on their own, up to a grace measured in hours, instead of cutting them: it takes no new
 * room from the first moment, and the rooms service, hearing `draining`, places new rooms on
 * other nodes. What is still running when the grace ends is closed as on any shutdown.
 */
export class CallDrain {
  readonly #logger = new Logger(CallDrain.name);

  constructor(
    private readonly rooms: DrainableRooms,
    private readonly nodeLoad: Pick<NodeLoadAnnouncer, 'markDraining'>,
    private readonly options: CallDrainOptions,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when no call is left here, or when the grace is over; whichever comes first. */
  async untilCallsEnd(): Promise<'ended' | 'grace_over' | 'no_grace'> {
    if (this.options.graceSeconds <= 0) return 'no_grace';
    this.rooms.refuseNewRooms();
    if (this.options.announce) await this.nodeLoad.markDraining();
    const deadline = this.now() + this.options.graceSeconds * 1000;
    this.#logger.log({
      msg: 'draining: no new rooms; waiting for calls to end',
      rooms: this.rooms.all.length,
    });
    while (this.rooms.all.length > 0) {
      if (this.now() >= deadline) {
        this.#logger.warn({
          msg: 'drain grace over; closing the calls still running',
          rooms: this.rooms.all.length,
        });
        return 'grace_over';
      }
      await this.sleep(this.options.pollMs ?? 1000);
    }
    this.#logger.log({ msg: 'drained: every call here has ended' });
    return 'ended';
  }
}
