import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ROOMS_CONFIG, RoomsConfig } from '../config/rooms.config';
import { Presence } from './presence.service';

/** Runs the presence sweep on a timer; a replica that dies leaves its peers to the others' sweeps. */
@Injectable()
export class PresenceSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #logger = new Logger(PresenceSweeper.name);
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly presence: Presence,
    @Inject(ROOMS_CONFIG) private readonly config: RoomsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.#timer = setInterval(() => {
      this.#running = this.presence
        .sweep()
        .then((departed) => departed > 0 && this.#logger.log({ msg: 'peers timed out', departed }))
        .catch((error: unknown) =>
          this.#logger.error({ msg: 'presence sweep failed', error: String(error) }),
        );
    }, this.config.PRESENCE_SWEEP_SECONDS * 1000);
    this.#timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }
}
