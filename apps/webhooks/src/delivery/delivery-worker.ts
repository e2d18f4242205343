import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config/webhooks.config';
import { DeliveriesStore, ClaimedDelivery } from './deliveries.store';
import { DeliveryTokens } from './delivery-tokens';
import { EndpointDisabler } from '../subscriptions/endpoint-disabling/endpoint-disabler';
import { DeliveryWakeup } from './delivery-wakeup';
import { GroupCommit } from '@confer/database';
import { outcomeOf, parseRetryAfter, RetryPolicy } from './retry-schedule';
import { standardWebhookHeaders } from './standard-webhooks';
import { WebhookSender } from './webhook-sender';

export const WEBHOOK_SENDER = Symbol('WEBHOOK_SENDER');

/** Lanes (target and room) claimed in one query. */
const LANES_PER_CLAIM = 500;

/**
 * Sends due deliveries. Each process works on at most WEBHOOK_CONCURRENCY_PER_ENDPOINT
 * lanes (rooms) per endpoint at a time, so a slow receiver fills its own slots only;
 * within a room an endpoint gets one delivery at a time, in sequence order, up to
 * WEBHOOK_BATCH_PER_LANE claimed together.
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
  /** Successes, written as they come, many lanes to a statement. */
  readonly #delivered: GroupCommit<{ id: string; status: number }>;

  constructor(
    private readonly store: DeliveriesStore,
    private readonly tokens: DeliveryTokens,
    private readonly wakeup: DeliveryWakeup,
    private readonly endpoints: EndpointDisabler,
    @Inject(WEBHOOK_SENDER) private readonly sender: WebhookSender,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
  ) {
    this.#delivered = new GroupCommit((outcomes) => store.deliveredAll(outcomes));
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
          LANES_PER_CLAIM,
          perTarget,
          this.config.WEBHOOK_BATCH_PER_LANE,
          busy,
          this.config.WEBHOOK_TIMEOUT_MS * 3 + 5000,
        );
        const lanes = new Map<string, ClaimedDelivery[]>();
        for (const delivery of claimed) {
          const key = `${delivery.target}\n${delivery.lane}`;
          const lane = lanes.get(key);
          if (lane) lane.push(delivery);
          else lanes.set(key, [delivery]);
        }
        for (const lane of lanes.values()) {
          const target = lane[0].target;
          this.#inFlight.set(target, (this.#inFlight.get(target) ?? 0) + 1);
          const run = this.runLane(lane).finally(() => {
            const left = (this.#inFlight.get(target) ?? 1) - 1;
            if (left > 0) this.#inFlight.set(target, left);
            else this.#inFlight.delete(target);
            this.#active.delete(run);
            this.kick();
          });
          this.#active.add(run);
        }
        if (lanes.size === LANES_PER_CLAIM) this.#again = true;
      } while (this.#again && this.#running);
    } catch (error) {
      this.#logger.error({ msg: 'delivery claim failed', error: String(error) });
    } finally {
      this.#ticking = false;
      this.schedule();
    }
  }

  /**
   * One lane's claimed deliveries, in sequence order, each sent once the one before it was
   * answered 2xx. Tokens are signed ahead (one per event, shared with every other endpoint).
   * A success is written while the next delivery is sent, so a crash repeats at most the
   * delivery being sent and the one being recorded; after a failure, the rest go back.
   */
  private async runLane(lane: ClaimedDelivery[]): Promise<void> {
    const tokens = lane.map((d) => this.tokens.tokenFor(d.eventId, d.bodySha256));
    for (const token of tokens) token.catch(() => undefined);
    const recorded: Array<Promise<void>> = [];
    let stoppedAt = lane.length;
    for (let i = 0; i < lane.length; i++) {
      const status = await this.attempt(lane[i], tokens[i]);
      if (status === undefined) {
        stoppedAt = i + 1;
        break;
      }
      const written = this.#delivered.add({ id: lane[i].id, status });
      written.catch(() => undefined);
      recorded.push(written);
    }
    try {
      await Promise.all(recorded);
      await this.store.release(lane.slice(stoppedAt).map((d) => d.id));
    } catch (error) {
      // The leases lapse and the deliveries are sent again: at least once.
      this.#logger.warn({ msg: 'recording outcomes failed', error: String(error) });
    }
  }

  /** Sends one delivery; answers its 2xx status, or undefined when it did not succeed (recorded). */
  private async attempt(delivery: ClaimedDelivery, signed: Promise<string>): Promise<number | undefined> {
    const context = { deliveryId: delivery.id, eventId: delivery.eventId, roomId: delivery.lane };
    try {
      const token = await signed;
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
          return status ?? 200;
        case 'gone':
          this.#logger.warn({ msg: 'endpoint gone: its subscriptions are disabled', ...context });
          await this.store.gone(delivery.id);
          return undefined;
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
    return undefined;
  }
}
