import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  context as otelContext,
  propagation,
  trace,
} from '@opentelemetry/api';
import { contextOfTraceCarrier, getTracer } from '@confer/telemetry';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config/webhooks.config';
import { DeliveriesStore, ClaimedDelivery } from './deliveries.store';
import { DeliveryTokens } from './delivery-tokens';
import { EndpointDisabler } from '../subscriptions/endpoint-disabling/endpoint-disabler';
import { DeliveryWakeup } from './delivery-wakeup';
import { LaneSignals } from './lane-signals';
import { LaneClaims } from './lane-claims';
import { GroupCommit } from '@confer/database';
import { outcomeOf, parseRetryAfter, RetryPolicy } from './retry-schedule';
import { standardWebhookHeaders } from './standard-webhooks';
import { WebhookSender } from './webhook-sender';
import { DeliveryMetrics } from './delivery.metrics';

export const WEBHOOK_SENDER = Symbol('WEBHOOK_SENDER');

// A proxy tracer: it follows the provider the service registers at start-up.
const tracer = getTracer('@confer/webhooks');

/** Attributes of a delivery attempt's span. */
export const AttemptAttr = {
  attempt: 'webhooks.delivery.attempt',
  deliveryId: 'webhooks.delivery.id',
  eventId: 'webhooks.event.id',
  kind: 'webhooks.delivery.kind',
  outcome: 'webhooks.delivery.outcome',
  status: 'http.response.status_code',
} as const;

/** Lanes (target and room) claimed in one query. */
const LANES_PER_CLAIM = 500;
/**
 * Claims one lane may make while it runs before it goes back to the queue, when its
 * endpoint's slots are all taken (other rooms of the endpoint may be waiting for one).
 */
const MAX_ROUNDS = 50;
/**
 * How long a lane that has sent everything stays open for what the next release brings,
 * holding its slot and its last delivery's lease (its success unwritten). A room with
 * steady traffic then keeps one running lane, woken by each release, instead of closing
 * and being claimed again from the queue between two events.
 */
const LINGER_MS = 100;
/**
 * Least time between two claims of due lanes: the intake's releases come every few
 * milliseconds under load, and a lane already running takes what follows it by itself.
 */
const CLAIM_GAP_MS = 5;

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
  readonly #metrics = new DeliveryMetrics();
  #running = false;
  #timer?: NodeJS.Timeout;
  #ticking = false;
  #again = false;
  #lastClaimAt = 0;
  #active = new Set<Promise<void>>();
  /** Releases into the lanes running here. */
  readonly #signals = new LaneSignals();
  /** Claims of what follows running lanes, many lanes to a statement. */
  readonly #following: LaneClaims;
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
    this.#following = new LaneClaims((lanes) =>
      store.claimFollowing(lanes, config.WEBHOOK_BATCH_PER_LANE, this.leaseMs),
    );
    this.#policy = {
      baseMs: config.WEBHOOK_RETRY_BASE_MS,
      factor: config.WEBHOOK_RETRY_FACTOR,
      maxDelayMs: config.WEBHOOK_RETRY_MAX_DELAY_MS,
      maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    };
  }

  onApplicationBootstrap(): void {
    this.#running = true;
    this.wakeup.onWake((lanes) => {
      // Lanes running here take their deliveries themselves; others are claimed.
      if (!this.#signals.released(lanes)) this.kick();
    });
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#signals.released();
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

  /** Whether this process uses every slot of the endpoint: a lane of it should not keep one idle. */
  private saturated(target: string): boolean {
    return (this.#inFlight.get(target) ?? 0) >= this.config.WEBHOOK_CONCURRENCY_PER_ENDPOINT;
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
        const gap = this.#lastClaimAt + CLAIM_GAP_MS - Date.now();
        if (gap > 0) await new Promise((resolve) => setTimeout(resolve, gap));
        this.#lastClaimAt = Date.now();
        const perTarget = this.config.WEBHOOK_CONCURRENCY_PER_ENDPOINT;
        const busy = [...this.#inFlight].filter(([, n]) => n >= perTarget).map(([t]) => t);
        const claimed = await this.store.claim(
          LANES_PER_CLAIM,
          perTarget,
          this.config.WEBHOOK_BATCH_PER_LANE,
          busy,
          this.leaseMs,
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
   *
   * What follows in the lane is claimed while the lane is being sent (claimFollowing), once
   * half a batch or less is left in hand, so claim round trips overlap sends. That is safe
   * while one of this lane's claimed deliveries is still pending here, holding the lane: so
   * the success of the last one in hand is written only once no claim is in flight. When nothing follows, the lane lingers
   * (LINGER_MS) for the next release rather than closing, unless its endpoint's slots are
   * all taken. After MAX_ROUNDS claims the lane goes back to the queue if the endpoint's
   * slots are all taken, so that its other rooms get their turn.
   */
  private async runLane(first: ClaimedDelivery[]): Promise<void> {
    const recorded: Array<Promise<void>> = [];
    const queue = [...first];
    const tokens = new Map<string, Promise<string>>();
    const sign = (batch: readonly ClaimedDelivery[]) => {
      for (const d of batch) {
        const token = this.tokens.tokenFor(d.eventId, d.bodySha256);
        token.catch(() => undefined);
        tokens.set(d.id, token);
      }
    };
    sign(queue);
    const target = first[0].target;
    const signal = this.#signals.open(first[0]);
    let lastClaimed = queue[queue.length - 1];
    let rounds = 0;
    let dry = false;
    let claiming: Promise<void> | undefined;
    const claim = () => {
      if (claiming || !this.#running || (rounds >= MAX_ROUNDS && this.saturated(target))) return;
      rounds++;
      signal.claiming();
      claiming = this.following(lastClaimed)
        .then((next) => {
          // Found nothing: claim again once what is in hand has been sent, or on a release.
          dry = next.length === 0;
          if (dry) return;
          sign(next);
          queue.push(...next);
          lastClaimed = next[next.length - 1];
        })
        .finally(() => (claiming = undefined));
    };
    // Claim ahead once half of a batch is left in hand: a lane that keeps up claims
    // every few deliveries, a saturated one once per half batch, not once per delivery.
    const lowWater = Math.max(1, Math.floor(this.config.WEBHOOK_BATCH_PER_LANE / 2));
    try {
      while (queue.length > 0) {
        if (queue.length <= lowWater && (!dry || signal.released)) claim();
        const delivery = queue.shift()!;
        const status = await this.attempt(delivery, tokens.get(delivery.id)!);
        tokens.delete(delivery.id);
        if (status === undefined) break;
        if (queue.length === 0) {
          // This delivery alone holds the lane until its success is written: claim what
          // follows (or let the claim in flight finish) first, and while nothing does,
          // linger for the next release.
          const lingerUntil = Date.now() + LINGER_MS;
          for (;;) {
            await claiming;
            if (queue.length > 0) break;
            claim();
            await claiming;
            if (queue.length > 0 || !this.#running || this.saturated(target)) break;
            const left = lingerUntil - Date.now();
            if (left <= 0) break;
            await signal.nextRelease(left);
          }
        }
        const written = this.#delivered.add({ id: delivery.id, status });
        written.catch(() => undefined);
        recorded.push(written);
      }
      await claiming;
    } finally {
      signal.close();
    }
    const unsent = queue.splice(0);
    try {
      await Promise.all(recorded);
      await this.store.release(unsent.map((d) => d.id));
    } catch (error) {
      // The leases lapse and the deliveries are sent again: at least once.
      this.#logger.warn({ msg: 'recording outcomes failed', error: String(error) });
    }
  }

  private async following(last: ClaimedDelivery): Promise<ClaimedDelivery[]> {
    try {
      return await this.#following.following({ target: last.target, lane: last.lane, afterSeq: last.seq });
    } catch (error) {
      this.#logger.warn({
        msg: 'claiming the rest of a lane failed',
        roomId: last.lane,
        error: String(error),
      });
      return [];
    }
  }

  private get leaseMs(): number {
    return this.config.WEBHOOK_TIMEOUT_MS * 3 + 5000;
  }

  /**
   * One attempt, as a span of the event's trace (a child of the context the intake stored
   * with the delivery), whenever it is made: the first attempt or a retry claimed from the
   * database later, by whichever process. Its request carries that trace in `traceparent`.
   */
  private async attempt(delivery: ClaimedDelivery, signed: Promise<string>): Promise<number | undefined> {
    const parent = contextOfTraceCarrier(delivery.trace);
    const span = tracer.startSpan(
      'webhook delivery attempt',
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          [AttemptAttr.attempt]: delivery.attempts,
          [AttemptAttr.deliveryId]: delivery.id,
          [AttemptAttr.eventId]: delivery.eventId,
          [AttemptAttr.kind]: delivery.kind,
        },
      },
      parent,
    );
    try {
      return await otelContext.with(trace.setSpan(parent, span), () => this.send(delivery, signed, span));
    } finally {
      span.end();
    }
  }

  /** Sends one delivery; answers its 2xx status, or undefined when it did not succeed (recorded). */
  private async send(
    delivery: ClaimedDelivery,
    signed: Promise<string>,
    span: Span,
  ): Promise<number | undefined> {
    const context = { deliveryId: delivery.id, eventId: delivery.eventId, roomId: delivery.lane };
    try {
      const token = await signed;
      const headers: Record<string, string> = {
        'confer-event-id': delivery.eventId,
        'confer-delivery-id': delivery.id,
        'confer-sequence': delivery.seq,
        'confer-attempt': String(delivery.attempts),
      };
      // The attempt's trace, for receivers that trace (an instrumented HTTP client puts its
      // own span of the same trace in its place).
      propagation.inject(trace.setSpan(ROOT_CONTEXT, span), headers);
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
      const sentAt = process.hrtime.bigint();
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
      this.#metrics.attempted(outcome.kind, Number(process.hrtime.bigint() - sentAt) / 1e9);
      span.setAttribute(AttemptAttr.outcome, outcome.kind);
      if (status !== undefined) span.setAttribute(AttemptAttr.status, status);
      if (outcome.kind !== 'delivered')
        span.setStatus({ code: SpanStatusCode.ERROR, message: error ?? undefined });
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
      this.#metrics.attempted('aborted');
      span.setAttribute(AttemptAttr.outcome, 'aborted');
      span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
      this.#logger.warn({ msg: 'delivery attempt aborted', ...context, error: String(error) });
    }
    return undefined;
  }
}
