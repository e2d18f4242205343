import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RefreshTokens } from './refresh-tokens';

const EVERY_MS = 10 * 60_000;
const BATCH = 5000;

/**
 * Every client_credentials grant stores a refresh token; without a purge the table
 * grows by every token ever issued. Runs on every replica; the batched deletes make
 * concurrent runs harmless.
 */
@Injectable()
export class RefreshTokenPurge implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #logger = new Logger(RefreshTokenPurge.name);
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(private readonly refreshTokens: RefreshTokens) {}

  onApplicationBootstrap(): void {
    this.#timer = setInterval(() => void this.runOnce(), EVERY_MS);
    this.#timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }

  /** Purges until a batch comes back short; returns the rows deleted. */
  async runOnce(): Promise<number> {
    let total = 0;
    const run = (async () => {
      for (;;) {
        const deleted = await this.refreshTokens.purgeExpired(BATCH);
        total += deleted;
        if (deleted < BATCH) break;
      }
    })().catch((error: unknown) =>
      this.#logger.error({ msg: 'refresh token purge failed', error: String(error) }),
    );
    this.#running = run;
    await run;
    if (total > 0) this.#logger.log({ msg: 'purged expired refresh tokens', rows: total });
    return total;
  }
}
