import { Static, Type } from '@sinclair/typebox';
import { loadConfig } from '@confer/config';

/** Everything the rooms service reads from its environment, validated once at start-up. */
export const RoomsConfigSchema = Type.Object({
  ROOMS_PORT: Type.Integer({ default: 8082, minimum: 1, maximum: 65535 }),
  ROOMS_WORKERS: Type.Integer({ default: 1, minimum: 1, maximum: 64 }),
  DATABASE_URL: Type.String({ default: 'postgres://postgres@127.0.0.1:5432/confer' }),
  ROOMS_DB_SCHEMA: Type.String({ default: 'rooms', pattern: '^[a-z_][a-z0-9_]*$' }),
  NATS_URL: Type.String({ default: 'nats://127.0.0.1:4222' }),
  PUBLIC_URL: Type.String({ default: 'http://localhost:8080' }),
  /** Where the auth service publishes its keys (access tokens and join grants are verified against them). */
  AUTH_JWKS_URL: Type.String({ default: 'http://127.0.0.1:8081/.well-known/jwks.json' }),
  /**
   * The media servers a room id's `servN` prefix selects from, as JSON:
   * [{"id":"serv0","region":"Luxembourg","url":"https://media0.example.com"}]. The first is the default.
   */
  MEDIA_SERVERS: Type.String({ default: '[{"id":"serv0","region":"local","url":"http://localhost:8080"}]' }),
  /**
   * A room's media node this loaded (0–1: the scarcer of its CPU and its consumer capacity)
   * takes no more of the room's peers: newcomers go to the least-loaded other node of its
   * group, and the room spans both (media piped between them). 1: never span.
   */
  MEDIA_SPAN_AT_LOAD: Type.Number({ default: 0.8, minimum: 0, maximum: 1 }),
  /** Organisation that owns rooms joined by plain links (no token, no orgId): for single-tenant installs. */
  DEFAULT_ORG_ID: Type.Optional(Type.String({ minLength: 1 })),
  /** A peer whose connection has not been heard of for this long has left (timed out). */
  PEER_HEARTBEAT_TIMEOUT_SECONDS: Type.Integer({ default: 30, minimum: 2 }),
  /** How often each replica looks for peers whose heartbeat lapsed. */
  PRESENCE_SWEEP_SECONDS: Type.Number({ default: 5, exclusiveMinimum: 0 }),
  /** Lifetime of the join grant the media service verifies; the client must connect within it. */
  JOIN_GRANT_TTL_SECONDS: Type.Integer({ default: 120, minimum: 10, maximum: 3600 }),
  WEBINAR_MAX_SPEAKERS: Type.Integer({ default: 20, minimum: 1 }),
  WEBINAR_MAX_VIEWERS: Type.Integer({ default: 2000, minimum: 1 }),
  /** Timeout of the integrator's access-check callback. */
  ACCESS_CHECK_TIMEOUT_MS: Type.Integer({ default: 3000, minimum: 100, maximum: 30000 }),
  /**
   * Hosts, addresses or CIDR ranges outbound calls (access checks) may reach even
   * though they are private or loopback; comma-separated. Empty: only public addresses.
   */
  OUTBOUND_ALLOWED_HOSTS: Type.String({ default: '' }),
  DEFAULT_RATE_LIMIT_PER_SECOND: Type.Number({ default: 4, exclusiveMinimum: 0 }),
});

export type RoomsConfig = Static<typeof RoomsConfigSchema>;
export const ROOMS_CONFIG = Symbol('ROOMS_CONFIG');

export function loadRoomsConfig(env: NodeJS.ProcessEnv = process.env): RoomsConfig {
  return loadConfig(RoomsConfigSchema, env);
}

export const issuerOf = (config: RoomsConfig) => config.PUBLIC_URL.replace(/\/+$/, '');
