import { Inject, Injectable } from '@nestjs/common';
import { CommandClient } from '@confer/bus';
import { SignPlatformToken } from '@confer/contracts';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config/webhooks.config';

/** The `aud` of delivery tokens: never the API's audience, so one cannot pass for an access token. */
export const WEBHOOK_AUDIENCE = 'confer:webhook';

export interface SignRequest {
  subject: string;
  claims: Record<string, unknown>;
  ttlSeconds: number;
}
export type SignFunction = (request: SignRequest) => Promise<{ token: string; expiresAt: number }>;

/**
 * One RS256 token per body: every endpoint receiving the same event shares it, so
 * signing grows with events, not with subscribers × events. The token binds the event
 * id and the body's SHA-256; per-endpoint data (sequence, delivery id) travels in headers.
 * Re-signed when less than a minute of it is left (late retries).
 */
export class DeliveryTokenCache {
  readonly #tokens = new Map<string, Promise<{ token: string; expiresAt: number }>>();

  constructor(
    private readonly sign: SignFunction,
    private readonly clientId: string,
    private readonly ttlSeconds: number,
    private readonly maxEntries = 10000,
  ) {}

  async tokenFor(eventId: string, bodySha256: string, nowSeconds = Date.now() / 1000): Promise<string> {
    const key = `${eventId} ${bodySha256}`;
    const cached = this.#tokens.get(key);
    if (cached) {
      const value = await cached.catch(() => undefined);
      if (value && value.expiresAt - nowSeconds > 60) return value.token;
      if (this.#tokens.get(key) === cached) this.#tokens.delete(key);
    }
    const pending = this.sign({
      subject: `${this.clientId}@clients`,
      claims: {
        azp: this.clientId,
        gty: 'client-credentials',
        event_id: eventId,
        body_sha256: bodySha256,
      },
      ttlSeconds: this.ttlSeconds,
    });
    this.#tokens.set(key, pending);
    pending.catch(() => this.#tokens.delete(key));
    if (this.#tokens.size > this.maxEntries) {
      // Oldest first (Map keeps insertion order).
      const oldest = this.#tokens.keys().next().value;
      if (oldest !== undefined) this.#tokens.delete(oldest);
    }
    return (await pending).token;
  }

  /** Has the token signed now, for a delivery to be sent soon; a failure is retried when it is sent. */
  prefetch(eventId: string, bodySha256: string): void {
    this.tokenFor(eventId, bodySha256).catch(() => undefined);
  }
}

/** The cache, signing through auth (`platform-token.sign`, purpose `confer:webhook`). */
@Injectable()
export class DeliveryTokens extends DeliveryTokenCache {
  constructor(commands: CommandClient, @Inject(WEBHOOKS_CONFIG) config: WebhooksConfig) {
    super(
      (request) =>
        commands.request(SignPlatformToken, { audience: WEBHOOK_AUDIENCE, ...request }, { timeoutMs: 3000 }),
      config.WEBHOOK_SIGNER_CLIENT_ID,
      config.WEBHOOK_TOKEN_TTL_SECONDS,
    );
  }
}
