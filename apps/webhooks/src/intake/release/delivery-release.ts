import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../../config/webhooks.config';
import { DeliveryWakeup } from '../../delivery/delivery-wakeup';
import { CONSUMER_PROGRESS, ConsumerProgress } from './consumer-progress.port';
import { HELD_DELIVERIES, HeldDeliveries } from './held-deliveries.port';

/**
 * Releases held deliveries once the consumer's ack floor has passed their events. The
 * intake holds many events at once, across replicas; an event a dead process held comes
 * back only after the ack wait, later than events behind it. Numbering deliveries only
 * below the ack floor, in stream order, means that event cannot be overtaken: nothing
 * earlier in the stream can still arrive there.
 *
 * After recording, the intake says how far it got; this asks the server for the floor
 * until it has passed that point (the acks are on their way), then releases. A timer does
 * the same for what other replicas recorded (and a dead process left held).
 */
@Injectable()
export class DeliveryRelease implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #logger = new Logger(DeliveryRelease.name);
  /** Highest stream sequence this process recorded held deliveries for. */
  #wanted = 0;
  /** The floor of this process's last release; -1 before the first. */
  #releasedTo = -1;
  #running = false;
  #busy?: Promise<void>;
  #again = false;
  #timer?: NodeJS.Timeout;

  constructor(
    @Inject(CONSUMER_PROGRESS) private readonly progress: ConsumerProgress,
    @Inject(HELD_DELIVERIES) private readonly held: HeldDeliveries,
    private readonly wakeup: DeliveryWakeup,
    @Inject(WEBHOOKS_CONFIG)
    private readonly config: Pick<WebhooksConfig, 'WEBHOOK_POLL_MS' | 'WEBHOOKS_RELEASE_PAUSE_MS'>,
  ) {}

  onApplicationBootstrap(): void {
    this.#running = true;
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await this.#busy;
  }

  /** The intake recorded held deliveries for events up to this stream sequence. */
  recorded(streamSeq: number): void {
    if (streamSeq > this.#wanted) this.#wanted = streamSeq;
    this.kick();
  }

  /**
   * Held deliveries below the floor are waiting (a redelivery put back one that was never
   * numbered): release them even if the floor has not moved.
   */
  again(): void {
    this.#releasedTo = -1;
    this.kick();
  }

  /** Look at the floor now; passes asked for while one runs are coalesced into one more. */
  kick(): void {
    if (!this.#running) return;
    if (this.#busy) {
      this.#again = true;
      return;
    }
    this.#busy = this.run().finally(() => {
      this.#busy = undefined;
      this.schedule();
    });
  }

  /** Resolves once no pass is running (for tests). */
  async settled(): Promise<void> {
    while (this.#busy) await this.#busy;
  }

  private schedule(): void {
    clearTimeout(this.#timer);
    if (this.#running) this.#timer = setTimeout(() => this.kick(), this.config.WEBHOOK_POLL_MS);
  }

  private async run(): Promise<void> {
    let pauseMs = this.config.WEBHOOKS_RELEASE_PAUSE_MS;
    let lastFloor = -1;
    try {
      do {
        this.#again = false;
        const floor = await this.progress.ackFloor();
        if (floor > this.#releasedTo) {
          const lanes = await this.held.releaseUpTo(floor);
          this.#releasedTo = floor;
          if (lanes.length > 0) this.wakeup.wake(lanes);
        }
        if (this.#wanted > floor) {
          // Our acks have not reached the server yet, or an earlier event is still held
          // somewhere: look again after a short pause while the floor moves (bounding the
          // questions to the server), less and less often while it stands still.
          pauseMs =
            floor > lastFloor
              ? this.config.WEBHOOKS_RELEASE_PAUSE_MS
              : Math.min(pauseMs * 2, this.config.WEBHOOK_POLL_MS);
          await new Promise((resolve) => setTimeout(resolve, pauseMs));
          this.#again = true;
        }
        lastFloor = floor;
      } while (this.#again && this.#running);
    } catch (error) {
      this.#logger.warn({ msg: 'releasing held deliveries failed; will retry', error: String(error) });
    }
  }
}
