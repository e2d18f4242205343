import { Static, Type } from '@sinclair/typebox';
import { loadConfig } from '@confer/config';

/** Everything the stats service reads from its environment, validated once at start-up. */
export const StatsConfigSchema = Type.Object({
  STATS_PORT: Type.Integer({ default: 8083, minimum: 1, maximum: 65535 }),
  DATABASE_URL: Type.String({ default: 'postgres://postgres@127.0.0.1:5432/confer' }),
  STATS_DB_SCHEMA: Type.String({ default: 'stats', pattern: '^[a-z_][a-z0-9_]*$' }),
  NATS_URL: Type.String({ default: 'nats://127.0.0.1:4222' }),
  PUBLIC_URL: Type.String({ default: 'http://localhost:8080' }),
  /** Where the auth service publishes its keys (access tokens are verified against them). */
  AUTH_JWKS_URL: Type.String({ default: 'http://127.0.0.1:8081/.well-known/jwks.json' }),
  /** The durable consumer's name, shared by the replicas. */
  STATS_CONSUMER: Type.String({ default: 'stats', pattern: '^[A-Za-z0-9_-]+$' }),
  /** Events handled at once (they are then written together, in one transaction per batch). */
  STATS_INGEST_CONCURRENCY: Type.Integer({ default: 2000, minimum: 1, maximum: 20000 }),
  /** Most events written in one transaction. */
  STATS_INGEST_MAX_BATCH: Type.Integer({ default: 2000, minimum: 1, maximum: 20000 }),
  /**
   * How long an applied event's id is remembered. It must outlast the events stream's max age
   * (plus its duplicate window): only then can the stream no longer redeliver or replay it.
   * Checked against the bus settings at start-up.
   */
  STATS_EVENT_ID_RETENTION_HOURS: Type.Number({ default: 192, exclusiveMinimum: 0 }),
  /** How often ids past that horizon are deleted. */
  STATS_PRUNE_INTERVAL_SECONDS: Type.Number({ default: 600, minimum: 1 }),
  /** Memory for statistics answers kept while their room is unchanged (a 10,000-session answer is ~0.9 MB). */
  STATS_ANSWER_CACHE_MB: Type.Number({ default: 64, minimum: 0 }),
  /**
   * Rooms with at most this many sessions are kept in memory whole, per version, so any
   * period of an unchanged room is answered without PostgreSQL; ten times this over all rooms.
   */
  STATS_ROOM_SNAPSHOT_SESSIONS: Type.Integer({ default: 20000, minimum: 0 }),
  DEFAULT_RATE_LIMIT_PER_SECOND: Type.Number({ default: 4, exclusiveMinimum: 0 }),
});

export type StatsConfig = Static<typeof StatsConfigSchema>;
export const STATS_CONFIG = Symbol('STATS_CONFIG');

export function loadStatsConfig(env: NodeJS.ProcessEnv = process.env): StatsConfig {
  return loadConfig(StatsConfigSchema, env);
}

export const issuerOf = (config: StatsConfig) => config.PUBLIC_URL.replace(/\/+$/, '');
