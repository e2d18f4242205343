import { hostname } from 'os';
import { resolve } from 'path';
import { Static, Type } from '@sinclair/typebox';
import { loadConfig } from '@confer/config';

/** Everything the recording service reads from its environment, validated once at start-up. */
export const RecordingConfigSchema = Type.Object({
  RECORDING_PORT: Type.Integer({ default: 8086, minimum: 0, maximum: 65535 }),
  DATABASE_URL: Type.String({ default: 'postgres://postgres@127.0.0.1:5432/confer' }),
  RECORDING_DB_SCHEMA: Type.String({ default: 'recording', pattern: '^[a-z_][a-z0-9_]*$' }),
  NATS_URL: Type.String({ default: 'nats://127.0.0.1:4222' }),
  /** Public base URL: the issuer of the tokens verified here, and the base of file addresses. */
  PUBLIC_URL: Type.String({ default: 'http://localhost:8080' }),
  AUTH_JWKS_URL: Type.String({ default: 'http://127.0.0.1:8081/.well-known/jwks.json' }),
  DEFAULT_RATE_LIMIT_PER_SECOND: Type.Number({ default: 4, exclusiveMinimum: 0 }),
  /** The durable consumer (room life) shared by the replicas. */
  RECORDING_CONSUMER: Type.String({ default: 'recording', pattern: '^[A-Za-z0-9_-]+$' }),
  /** This replica's name in leases; defaults to <host>-<pid>. */
  RECORDING_INSTANCE_ID: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,128}$' })),
  /**
   * A recording whose replica has not renewed its lease for this long is taken over by
   * another (or the same, restarted): its interrupted part is kept and recording goes on.
   */
  RECORDING_LEASE_SECONDS: Type.Number({ default: 5, minimum: 3 }),
  /** Where parts are encoded (segments land here as they are made). */
  RECORDING_WORK_DIR: Type.String({ default: 'var/recording/work' }),
  /** `local` keeps files in RECORDING_STORAGE_DIR; `s3` uploads each part as it completes. */
  RECORDING_STORAGE: Type.Union([Type.Literal('local'), Type.Literal('s3')], { default: 'local' }),
  RECORDING_STORAGE_DIR: Type.String({ default: 'var/recording/files' }),
  RECORDING_S3_ENDPOINT: Type.Optional(Type.String({ minLength: 1 })),
  RECORDING_S3_BUCKET: Type.Optional(Type.String({ minLength: 1 })),
  RECORDING_S3_REGION: Type.String({ default: 'us-east-1' }),
  RECORDING_S3_ACCESS_KEY_ID: Type.Optional(Type.String()),
  RECORDING_S3_SECRET_ACCESS_KEY: Type.Optional(Type.String()),
  RECORDING_S3_FORCE_PATH_STYLE: Type.Boolean({ default: true }),
  /** Composite size and rate. */
  RECORDING_WIDTH: Type.Integer({ default: 1280, minimum: 160, maximum: 3840, multipleOf: 2 }),
  RECORDING_HEIGHT: Type.Integer({ default: 720, minimum: 90, maximum: 2160, multipleOf: 2 }),
  RECORDING_FRAME_RATE: Type.Integer({ default: 30, minimum: 1, maximum: 60 }),
  RECORDING_X264_PRESET: Type.String({ default: 'veryfast', pattern: '^[a-z]+$' }),
  RECORDING_VIDEO_BITRATE_KBPS: Type.Integer({ default: 2500, minimum: 100 }),
  RECORDING_AUDIO_BITRATE_KBPS: Type.Integer({ default: 128, minimum: 16 }),
  RECORDING_HLS_SEGMENT_SECONDS: Type.Number({ default: 2, minimum: 1 }),
  /** The address media servers send RTP to (this host, as they reach it) and the decoders bind. */
  RECORDING_RTP_IP: Type.String({ default: '127.0.0.1' }),
  /** Defaults of an organisation without its own recording settings. */
  RECORDING_DEFAULT_MAX_PART_SECONDS: Type.Integer({ default: 14400, minimum: 1, maximum: 14400 }),
  RECORDING_DEFAULT_START_DELAY_SECONDS: Type.Integer({ default: 60, minimum: 0 }),
  RECORDING_DEFAULT_STOP_DELAY_SECONDS: Type.Integer({ default: 60, minimum: 0 }),
  /** How often retention deletes expired files. */
  RECORDING_RETENTION_SWEEP_SECONDS: Type.Number({ default: 3600, minimum: 1 }),
  /** Key for signed file addresses (base64, 32 bytes); without it, the service makes one per start. */
  RECORDING_URL_SIGNING_KEY: Type.Optional(Type.String({ minLength: 32 })),
  /** How long a signed file address stays valid. */
  RECORDING_SIGNED_URL_SECONDS: Type.Integer({ default: 3600, minimum: 1 }),
});

export type RecordingConfig = Static<typeof RecordingConfigSchema>;
export const RECORDING_CONFIG = Symbol('RECORDING_CONFIG');

export function loadRecordingConfig(env: NodeJS.ProcessEnv = process.env): RecordingConfig {
  const config = loadConfig(RecordingConfigSchema, env);
  if (config.RECORDING_STORAGE === 's3' && (!config.RECORDING_S3_ENDPOINT || !config.RECORDING_S3_BUCKET))
    throw new Error('RECORDING_STORAGE=s3 needs RECORDING_S3_ENDPOINT and RECORDING_S3_BUCKET');
  return {
    ...config,
    RECORDING_WORK_DIR: resolve(config.RECORDING_WORK_DIR),
    RECORDING_STORAGE_DIR: resolve(config.RECORDING_STORAGE_DIR),
  };
}

export const issuerOf = (config: RecordingConfig) => config.PUBLIC_URL.replace(/\/+$/, '');

export function instanceIdOf(config: RecordingConfig, host = hostname(), pid = process.pid): string {
  return config.RECORDING_INSTANCE_ID ?? `${host.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 80)}-${pid}`;
}
