import { Static, Type } from '@sinclair/typebox';
import { loadConfig } from '@confer/config';

/** Everything the webhooks service reads from its environment, validated once at start-up. */
export const WebhooksConfigSchema = Type.Object({
  WEBHOOKS_PORT: Type.Integer({ default: 8084, minimum: 1, maximum: 65535 }),
  WEBHOOKS_WORKERS: Type.Integer({ default: 1, minimum: 1, maximum: 64 }),
  DATABASE_URL: Type.String({ default: 'postgres://postgres@127.0.0.1:5432/confer' }),
  WEBHOOKS_DB_SCHEMA: Type.String({ default: 'webhooks', pattern: '^[a-z_][a-z0-9_]*$' }),
  NATS_URL: Type.String({ default: 'nats://127.0.0.1:4222' }),
  /** Public base URL: the issuer of access tokens, and where receivers find the OpenID configuration. */
  PUBLIC_URL: Type.String({ default: 'http://localhost:8080' }),
  AUTH_JWKS_URL: Type.String({ default: 'http://127.0.0.1:8081/.well-known/jwks.json' }),
  DEFAULT_RATE_LIMIT_PER_SECOND: Type.Number({ default: 4, exclusiveMinimum: 0 }),
  /** The durable JetStream consumer shared by every replica. */
  WEBHOOKS_CONSUMER: Type.String({ default: 'webhooks', pattern: '^[A-Za-z0-9_-]+$' }),
  /**
   * How long the intake may hold an event before JetStream hands it out again. After a
   * crash, the events the dead process held come back after this long, and deliveries of
   * later events wait for them (they are released in stream order below the ack floor).
   */
  WEBHOOKS_INTAKE_ACK_WAIT_MS: Type.Integer({ default: 10000, minimum: 500, maximum: 300000 }),
  /** Events the intake may hold unacknowledged across every replica (JetStream max_ack_pending). */
  WEBHOOKS_INTAKE_MAX_PENDING: Type.Integer({ default: 1000, minimum: 1, maximum: 100000 }),
  /**
   * While recorded events wait for the ack floor to pass them, the floor is asked for again
   * after this pause: the added latency, against one request to the server per pause.
   */
  WEBHOOKS_RELEASE_PAUSE_MS: Type.Integer({ default: 3, minimum: 1, maximum: 1000 }),
  /** Events recorded together in one statement at most. */
  WEBHOOKS_INTAKE_BATCH: Type.Integer({ default: 200, minimum: 1, maximum: 5000 }),
  /** Lifetime of a Glayr subscription (`expiry_seconds`). */
  GLAYR_SUBSCRIPTION_TTL_SECONDS: Type.Integer({ default: 259200, minimum: 1 }),
  /** Allow plain-http endpoints (development only). */
  WEBHOOKS_ALLOW_HTTP: Type.Boolean({ default: false }),
  /** Private or loopback hosts endpoints may name (comma-separated names, IPs or CIDRs). Empty: public only. */
  OUTBOUND_ALLOWED_HOSTS: Type.String({ default: '' }),
  /** One attempt's bound: connection, request and answer together. */
  WEBHOOK_TIMEOUT_MS: Type.Integer({ default: 10000, minimum: 100, maximum: 60000 }),
  /** First retry delay; each next one is WEBHOOK_RETRY_FACTOR times longer, capped, plus up to 25 % jitter. */
  WEBHOOK_RETRY_BASE_MS: Type.Integer({ default: 5000, minimum: 1 }),
  WEBHOOK_RETRY_FACTOR: Type.Number({ default: 3, minimum: 1 }),
  WEBHOOK_RETRY_MAX_DELAY_MS: Type.Integer({ default: 8 * 3600 * 1000, minimum: 1 }),
  /** Attempts before a delivery is kept as failed (the default schedule spans more than 24 hours). */
  WEBHOOK_MAX_ATTEMPTS: Type.Integer({ default: 12, minimum: 1, maximum: 100 }),
  /**
   * An endpoint whose every attempt failed for this long has its subscriptions disabled
   * (and a `webhook-endpoint.disabled` event published). Default 5 days.
   */
  WEBHOOK_DISABLE_AFTER_FAILING_SECONDS: Type.Integer({ default: 5 * 24 * 3600, minimum: 1 }),
  /**
   * Settled deliveries (delivered, failed, expired) are kept in the log, and can be
   * redelivered, this long after they were recorded and last changed. Default 30 days.
   */
  WEBHOOK_LOG_RETENTION_SECONDS: Type.Integer({ default: 30 * 24 * 3600, minimum: 1 }),
  /**
   * Intake marks (an event was taken) older than this are deleted once the consumer's ack
   * floor has passed their event. Default 7 days, the events stream's own retention.
   */
  WEBHOOKS_INTAKE_RETENTION_SECONDS: Type.Integer({ default: 7 * 24 * 3600, minimum: 1 }),
  /** How often what is past retention is pruned. */
  WEBHOOK_PRUNE_INTERVAL_MS: Type.Integer({ default: 10 * 60 * 1000, minimum: 50 }),
  /** How often pending deliveries whose subscriptions all expired are marked `expired`. */
  WEBHOOK_EXPIRY_SWEEP_MS: Type.Integer({ default: 10000, minimum: 10 }),
  /** Requests in flight to one endpoint from one process. */
  WEBHOOK_CONCURRENCY_PER_ENDPOINT: Type.Integer({ default: 8, minimum: 1, maximum: 256 }),
  /** Deliveries of one endpoint and room claimed together and sent one after another. */
  WEBHOOK_BATCH_PER_LANE: Type.Integer({ default: 50, minimum: 1, maximum: 1000 }),
  /** How often the delivery worker looks for due deliveries when nothing woke it. */
  WEBHOOK_POLL_MS: Type.Integer({ default: 200, minimum: 10 }),
  /** `sub` of delivery tokens is `<this>@clients`, `azp` is this. */
  WEBHOOK_SIGNER_CLIENT_ID: Type.String({ default: 'confer-webhooks', pattern: '^[A-Za-z0-9._-]+$' }),
  /** Lifetime of a delivery token; an older one is re-signed before a retry. */
  WEBHOOK_TOKEN_TTL_SECONDS: Type.Integer({ default: 300, minimum: 30, maximum: 3600 }),
});

export type WebhooksConfig = Static<typeof WebhooksConfigSchema>;
export const WEBHOOKS_CONFIG = Symbol('WEBHOOKS_CONFIG');

export function loadWebhooksConfig(env: NodeJS.ProcessEnv = process.env): WebhooksConfig {
  return loadConfig(WebhooksConfigSchema, env);
}

export const issuerOf = (config: WebhooksConfig) => config.PUBLIC_URL.replace(/\/+$/, '');
