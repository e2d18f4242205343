import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config/webhooks.config';
import { takeReleaseLock } from '../intake/release/release-lock';

/**
 * Settles the deliveries waiting to be sent (pending) or numbered (held) that no active,
 * unexpired subscription wants any more, saying why they were never sent: `expired` when
 * a subscription to them ran out of time (a Glayr subscription, while they waited for a
 * retry), `failed` with "subscription disabled" or "subscription deleted" when that is
 * what became of every subscription to them (recorded at the moment it happened, so the
 * deletion did not see them). The claim already skips them; held ones never take a number.
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
      const count = await this.db.transaction(async (tx) => {
        await takeReleaseLock(tx);
        const [, settled] = (await tx.query(
          `UPDATE deliveries d
              SET status = CASE o.why WHEN 'expired' THEN 'expired' ELSE 'failed' END,
                  last_error = CASE o.why WHEN 'expired' THEN 'every subscription to it expired'
                                          WHEN 'disabled' THEN 'subscription disabled'
                                          ELSE 'subscription deleted' END,
                  leased_until = NULL, updated_at = now()
             FROM (SELECT x.id,
                          CASE WHEN EXISTS (SELECT 1 FROM subscriptions s
                                             WHERE s.id = ANY(x.subscription_ids) AND s.status = 'active')
                               THEN 'expired'
                               WHEN EXISTS (SELECT 1 FROM subscriptions s WHERE s.id = ANY(x.subscription_ids))
                               THEN 'disabled'
                               ELSE 'deleted' END AS why
                     FROM deliveries x
                    WHERE x.status IN ('pending', 'held') AND x.kind = 'event'
                      AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.id = ANY(x.subscription_ids)
                                        AND s.status = 'active' AND (s.expires_at IS NULL OR s.expires_at > now()))
                  ) o
            WHERE d.id = o.id AND d.status IN ('pending', 'held')`,
        )) as [unknown, number];
        return settled;
      });
      if (count > 0) this.#logger.log({ msg: 'expired deliveries dropped', count });
      return count;
    } catch (error) {
      this.#logger.error({ msg: 'expiry sweep failed', error: String(error) });
      return 0;
    }
  }
}
