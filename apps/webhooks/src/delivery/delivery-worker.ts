import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config/webhooks.config';
import { DeliveriesStore, ClaimedDelivery } from './deliveries.store';
import { DeliveryTokens } from './delivery-tokens';
import { EndpointDisabler } from '../subscriptions/endpoint-disabling/endpoint-disabler';
import { DeliveryWakeup } from './delivery-wakeup';
import { outcomeOf, parseRetryAfter, RetryPolicy } from './retry-schedule';
import { standardWebhookHeaders } from './standard-webhooks';
import { WebhookSender } from './webhook-sender';

export const WEBHOOK_SENDER = Symbol('WEBHOOK_SENDER');

/**
 * Sends due deliveries. Each process claims at most WEBHOOK_CONCURRENCY_PER_ENDPOINT
 * deliveries per endpoint at a time, so a slow receiver fills its own slots only;
 * within a room an endpoint gets one delivery at a time, in sequence order.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #logger = new Logger(DeliveryWorker.name);
  readonly #inFlight = new Map<string, number>();
  readonly #policy: RetryPolicy;
  #running = false;
  #timer?: NodeJS.Timeout;
  #ticking = false;
  #again = false;
  #active = new Set<Promise<void>>();

  constructor(
    private readonly store: DeliveriesStore,
    private readonly tokens: DeliveryTokens,
    private readonly wakeup: DeliveryWakeup,
    private readonly endpoints: EndpointDisabler,
    @Inject(WEBHOOK_SENDER) private readonly sender: WebhookSender,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
  ) {
    this.#policy = {
      baseMs: config.WEBHOOK_RETRY_BASE_MS,
      factor: config.WEBHOOK_RETRY_FACTOR,
      maxDelayMs: config.WEBHOOK_RETRY_MAX_DELAY_MS,
      maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    };
  }

  onApplicationBootstrap(): void {
    this.#running = true;
    this.wakeup.onWake(() => this.kick());
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await Promise.allSettled([...this.#active]);
    this.sender.close();
  }

  /** Look for work now (new deliveries recorded, or a slot freed). */
  kick(): void {
    if (!this.#running) return;
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    void this.tick();
  }

  private schedule(): void {
    clearTimeout(this.#timer);
    if (this.#running) this.#timer = setTimeout(() => this.kick(), this.config.WEBHOOK_POLL_MS);
  }

  private async tick(): Promise<void> {
    this.#ticking = true;
    try {
      do {
        this.#again = false;
        const perTarget = this.config.WEBHOOK_CONCURRENCY_PER_ENDPOINT;
        const busy = [...this.#inFlight].filter(([, n]) => n >= perTarget).map(([t]) => t);
        const claimed = await this.store.claim(
          500,
          perTarget,
          busy,
          this.config.WEBHOOK_TIMEOUT_MS * 3 + 5000,
        );
        for (const delivery of claimed) {
          const n = this.#inFlight.get(delivery.target) ?? 0;
          this.#inFlight.set(delivery.target, n + 1);
          const attempt = this.attempt(delivery).finally(() => {
            const left = (this.#inFlight.get(delivery.target) ?? 1) - 1;
            if (left > 0) this.#inFlight.set(delivery.target, left);
            else this.#inFlight.delete(delivery.target);
            this.#active.delete(attempt);
            this.kick();
          });
          this.#active.add(attempt);
        }
        if (claimed.length === 500) this.#again = true;
      } while (this.#again && this.#running);
    } catch (error) {
      this.#logger.error({ msg: 'delivery claim failed', error: String(error) });
    } finally {
      this.#ticking = false;
      this.schedule();
    }
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const context = { deliveryId: delivery.id, eventId: delivery.eventId, roomId: delivery.lane };
    try {
      const token = await this.tokens.tokenFor(delivery.eventId, delivery.bodySha256);
      const headers: Record<string, string> = {
        'confer-event-id': delivery.eventId,
        'confer-delivery-id': delivery.id,
        'confer-sequence': delivery.seq,
        'confer-attempt': String(delivery.attempts),
      };
      if (delivery.kind === 'gcore' && delivery.authHeader) {
        // Gcore's authEvent owns Authorization; our signature travels beside it.
        headers.authorization = delivery.authHeader;
        headers['confer-signature'] = token;
      } else headers.authorization = token;
      if (delivery.secrets.length > 0)
        Object.assign(
          headers,
          standardWebhookHeaders(
            delivery.eventId,
            Math.floor(Date.now() / 1000),
            delivery.body,
            delivery.secrets,
          ),
        );
      const result = await this.sender.send({
        url: delivery.target,
        body: delivery.body,
        headers,
        timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      });
      const status = 'status' in result ? result.status : undefined;
      const error = 'error' in result ? result.error : status && status >= 300 ? `answered ${status}` : null;
      const outcome = outcomeOf(
        this.#policy,
        delivery.attempts,
        status,
        'status' in result ? parseRetryAfter(result.retryAfter) : undefined,
      );
      switch (outcome.kind) {
        case 'delivered':
          return await this.store.delivered(delivery.id, status ?? 0);
        case 'gone':
          this.#logger.warn({ msg: 'endpoint gone: its subscriptions are disabled', ...context });
          return await this.store.gone(delivery.id);
        case 'failed':
          this.#logger.warn({ msg: 'delivery failed for good', ...context, error });
          await this.store.failed(delivery.id, status ?? null, error);
          break;
        case 'retry':
          await this.store.retryLater(delivery.id, outcome.delayMs, status ?? null, error);
          break;
      }
      // Gcore callbacks belong to no subscription: nothing to disable.
      if (delivery.kind === 'event') await this.endpoints.failed(delivery.target);
    } catch (error) {
      // Signing or the database failed: the lease lapses and the attempt is made again.
      this.#logger.warn({ msg: 'delivery attempt aborted', ...context, error: String(error) });
    }
  }
}
