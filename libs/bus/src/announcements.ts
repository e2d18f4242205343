import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection, Subscription } from 'nats';
import { AnnouncementContract, AnnouncementOf, parseWith } from '@confer/contracts';
import { NATS_CONNECTION } from './bus.tokens';

export interface AnnouncementHandle {
  stop(): void;
}

/**
 * Announcements (see defineAnnouncement): a service's current state, published on core
 * NATS to every listener. Nothing is kept or acknowledged; the next one replaces it.
 */
@Injectable()
export class Announcements implements OnApplicationShutdown {
  readonly #logger = new Logger(Announcements.name);
  readonly #subscriptions = new Set<Subscription>();
  readonly #encoder = new TextEncoder();
  readonly #decoder = new TextDecoder();

  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  /** Validates, then publishes; a payload its own contract refuses is a bug and throws. */
  publish<A extends AnnouncementContract>(contract: A, payload: AnnouncementOf<A>): void {
    const valid: unknown = parseWith(contract.schema, payload, contract.subject);
    this.nc.publish(contract.subject, this.#encoder.encode(JSON.stringify(valid)));
  }

  /**
   * Calls `handler` with every valid announcement. One that is not JSON or breaks the
   * contract is logged and dropped: a faulty announcer must not stop the listener.
   */
  listen<A extends AnnouncementContract>(
    contract: A,
    handler: (payload: AnnouncementOf<A>) => void,
  ): AnnouncementHandle {
    const subscription = this.nc.subscribe(contract.subject, {
      callback: (error, message) => {
        if (error) {
          this.#logger.warn({
            msg: 'announcement subscription error',
            subject: contract.subject,
            error: String(error),
          });
          return;
        }
        let payload: AnnouncementOf<A>;
        try {
          payload = parseWith(
            contract.schema,
            JSON.parse(this.#decoder.decode(message.data)),
            contract.subject,
          ) as AnnouncementOf<A>;
        } catch (cause) {
          this.#logger.warn({ msg: 'announcement refused', subject: contract.subject, error: String(cause) });
          return;
        }
        try {
          handler(payload);
        } catch (cause) {
          this.#logger.error({
            msg: 'announcement handler failed',
            subject: contract.subject,
            error: String(cause),
          });
        }
      },
    });
    this.#subscriptions.add(subscription);
    return {
      stop: () => {
        subscription.unsubscribe();
        this.#subscriptions.delete(subscription);
      },
    };
  }

  onApplicationShutdown(): void {
    for (const subscription of this.#subscriptions) {
      // The connection may already be draining or closed; nothing is lost either way.
      try {
        subscription.unsubscribe();
      } catch {
        /* already gone */
      }
    }
    this.#subscriptions.clear();
  }
}
