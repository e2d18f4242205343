import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config/webhooks.config';

/**
 * Marks `expired` the pending deliveries that no active, unexpired subscription wants any
 * more (a Glayr subscription's time ran out while they waited for a retry). The claim
 * already skips them; the sweep settles them so the log says why they were never sent.
 */
@Injectable()
export class ExpirySweep implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #logger = new Logger(ExpirySweep.name);
  #timer?: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.#timer = setInterval(() => void this.sweep(), this.config.WEBHOOK_EXPIRY_SWEEP_MS);
    this.#timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.#timer);
  }

  /** Answers how many deliveries it marked. */
  async sweep(): Promise<number> {
    try {
      const [, count] = (await this.db.query(
        `UPDATE deliveries d SET status = 'expired', last_error = 'every subscription to it expired',
                leased_until = NULL, updated_at = now()
          WHERE d.status = 'pending' AND d.kind = 'event'
            AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.id = ANY(d.subscription_ids)
                              AND s.status = 'active' AND (s.expires_at IS NULL OR s.expires_at > now()))`,
      )) as [unknown, number];
      if (count > 0) this.#logger.log({ msg: 'expired deliveries dropped', count });
      return count;
    } catch (error) {
      this.#logger.error({ msg: 'expiry sweep failed', error: String(error) });
      return 0;
    }
  }
}
