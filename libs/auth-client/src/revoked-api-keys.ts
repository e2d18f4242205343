import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConsumerMessages, DeliverPolicy, NatsConnection } from 'nats';
import { NATS_CONNECTION } from '@confer/bus';
import { ApiKeyRevoked, EVENTS_STREAM, eventFilter, parseEvent } from '@confer/contracts';

/** Longer than any access token lives (auth caps them at 24 h): older revocations no longer matter. */
const REMEMBER_MS = 25 * 60 * 60 * 1000;

/**
 * The API keys revoked recently, learnt from `api-key.revoked` events. Services other
 * than auth verify access tokens against the JWKS alone; this is how they refuse the
 * tokens of a revoked key before those expire. On start it replays the last day of
 * revocations from the stream, then follows new ones.
 */
@Injectable()
export class RevokedApiKeys implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #logger = new Logger(RevokedApiKeys.name);
  readonly #revokedAt = new Map<string, number>();
  #messages: ConsumerMessages | undefined;

  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  has(apiKey: string): boolean {
    const at = this.#revokedAt.get(apiKey);
    return at !== undefined && Date.now() - at < REMEMBER_MS;
  }

  async onApplicationBootstrap(): Promise<void> {
    const consumer = await this.nc.jetstream().consumers.get(EVENTS_STREAM, {
      filterSubjects: eventFilter({ type: ApiKeyRevoked.type, version: ApiKeyRevoked.version }),
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: new Date(Date.now() - REMEMBER_MS).toISOString(),
    });
    this.#messages = await consumer.consume();
    void this.follow(this.#messages);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#messages?.close();
  }

  private async follow(messages: ConsumerMessages): Promise<void> {
    for await (const message of messages) {
      try {
        const event = parseEvent(ApiKeyRevoked, message.json());
        this.#revokedAt.set(event.data.apiKey, Date.parse(event.time));
      } catch (error) {
        this.#logger.warn({
          msg: 'ignored a malformed api-key.revoked event',
          subject: message.subject,
          error: String(error),
        });
      }
    }
  }
}
