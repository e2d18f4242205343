import { Static, Type } from '@sinclair/typebox';
import { loadConfig } from '@confer/config';

/** Everything the auth service reads from its environment, validated once at start-up. */
export const AuthConfigSchema = Type.Object({
  AUTH_PORT: Type.Integer({ default: 8081, minimum: 1, maximum: 65535 }),
  /** Processes serving HTTP on this host (node:cluster); 1 under an orchestrator that scales by replicas. */
  AUTH_WORKERS: Type.Integer({ default: 1, minimum: 1, maximum: 64 }),
  DATABASE_URL: Type.String({ default: 'postgres://postgres@127.0.0.1:5432/confer' }),
  AUTH_DB_SCHEMA: Type.String({ default: 'auth', pattern: '^[a-z_][a-z0-9_]*$' }),
  NATS_URL: Type.String({ default: 'nats://127.0.0.1:4222' }),
  /** Public base URL integrators reach us at; the issuer of every token we sign. */
  PUBLIC_URL: Type.String({ default: 'http://localhost:8080' }),
  /**
   * 32-byte key (base64 or hex) that encrypts API key secrets and private signing
   * keys at rest. Required: losing it makes every stored secret unreadable.
   */
  SECRET_ENCRYPTION_KEY: Type.String({ minLength: 32 }),
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ default: 3600, minimum: 60, maximum: 86400 }),
  REFRESH_TOKEN_TTL_SECONDS: Type.Integer({ default: 30 * 86400, minimum: 60 }),
  /** Requests per second allowed per API credential unless its organisation says otherwise. */
  DEFAULT_RATE_LIMIT_PER_SECOND: Type.Number({ default: 4, exclusiveMinimum: 0 }),
  /** How often a replica reloads the signing keys, so a rotation reaches every replica. */
  SIGNING_KEY_REFRESH_SECONDS: Type.Integer({ default: 30, minimum: 1 }),
  PARTICIPANT_TOKEN_MAX_TTL_SECONDS: Type.Integer({ default: 86400, minimum: 60 }),
});

export type AuthConfig = Static<typeof AuthConfigSchema>;
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  return loadConfig(AuthConfigSchema, env);
}

/** The `iss` of access tokens and Confer participant tokens, and the OIDC issuer. */
export const issuerOf = (config: AuthConfig) => config.PUBLIC_URL.replace(/\/+$/, '');
/** The `aud` of access tokens: the server API. */
export const apiAudienceOf = (config: AuthConfig) => `${issuerOf(config)}/v1/`;
