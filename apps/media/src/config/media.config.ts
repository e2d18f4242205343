import { homedir, hostname } from 'os';
import { join } from 'path';
import { Static, Type } from '@sinclair/typebox';
import { loadConfig } from '@confer/config';

/** The mediasoup release whose worker scripts/build-mediasoup-worker.sh builds and caches. */
export const MEDIASOUP_VERSION = '3.12.16';

/** Everything the media service reads from its environment, validated once at start-up. */
export const MediaConfigSchema = Type.Object({
  MEDIA_PORT: Type.Integer({ default: 8085, minimum: 0, maximum: 65535 }),
  /** This server's id in the rooms service's MEDIA_SERVERS: a grant for another server is refused. */
  MEDIA_SERVER_ID: Type.String({ default: 'serv0', minLength: 1 }),
  /** mediasoup workers (one process, one core each); 0 means one per core. */
  MEDIA_WORKERS: Type.Integer({ default: 0, minimum: 0, maximum: 256 }),
  /** The address WebRTC transports bind to. */
  MEDIA_LISTEN_IP: Type.String({ default: '127.0.0.1', minLength: 1 }),
  /** The address (or host name) told to clients in ICE candidates, when it differs (NAT, container). */
  MEDIA_ANNOUNCED_IP: Type.Optional(Type.String({ minLength: 1 })),
  MEDIA_RTC_MIN_PORT: Type.Integer({ default: 40000, minimum: 1024, maximum: 65535 }),
  MEDIA_RTC_MAX_PORT: Type.Integer({ default: 49999, minimum: 1024, maximum: 65535 }),
  MEDIA_INITIAL_OUTGOING_BITRATE: Type.Integer({ default: 1_000_000, minimum: 100_000 }),
  /** The mediasoup-worker binary; defaults to the one scripts/build-mediasoup-worker.sh caches. */
  MEDIASOUP_WORKER_BIN: Type.Optional(Type.String({ minLength: 1 })),
  MEDIA_LOG_LEVEL: Type.Union(
    [Type.Literal('debug'), Type.Literal('warn'), Type.Literal('error'), Type.Literal('none')],
    {
      default: 'warn',
    },
  ),
  /**
   * The rooms service, whose presence API keeps this server's peers present and whose key
   * set (JOIN_GRANT_KEYS_PATH) join grants are verified with.
   */
  ROOMS_URL: Type.String({ default: 'http://127.0.0.1:8082', minLength: 1 }),
  NATS_URL: Type.String({ default: 'nats://127.0.0.1:4222', minLength: 1 }),
  /** How often each connected peer's presence is renewed with the rooms service (its timeout is 30 s). */
  MEDIA_PRESENCE_HEARTBEAT_SECONDS: Type.Number({ default: 10, exclusiveMinimum: 0 }),
  /** A peer whose signaling socket dropped stays (media flowing) this long for a reconnect to resume it. */
  MEDIA_RECONNECT_GRACE_SECONDS: Type.Number({ default: 10, minimum: 0 }),
  /** At most one active-speaker change per room in this many ms (notifications and events). */
  MEDIA_ACTIVE_SPEAKER_MIN_INTERVAL_MS: Type.Integer({ default: 1000, minimum: 0 }),
  /** How long an interpretation language stays selectable after its last interpreter left. */
  MEDIA_INTERPRETER_LINGER_SECONDS: Type.Number({ default: 30, minimum: 0 }),
  /**
   * Announce this process's load every this many seconds (confer.sys.media.node-load.v1),
   * for the rooms service to place rooms across several media processes; 0: do not.
   */
  MEDIA_NODE_REPORT_SECONDS: Type.Number({ default: 0, minimum: 0 }),
  /**
   * On SIGTERM, how long to let the calls on this server go on before closing them: it takes
   * no new room meanwhile (and says `draining` in its load reports). 0: close at once.
   */
  MEDIA_DRAIN_GRACE_SECONDS: Type.Number({ default: 0, minimum: 0 }),
  /** This process's node id in those reports (and in grants placed on it); defaults to <server id>-<host>-<pid>. */
  MEDIA_NODE_ID: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,128}$' })),
  /** Base URL clients reach this process's signaling at, in those reports; defaults to PUBLIC_URL. */
  MEDIA_NODE_URL: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
  /**
   * The front door routes signaling to this process by its node id, having heard its reports:
   * the URL announced is then PUBLIC_URL/v1/media/nodes/<node id>, so that many processes of
   * one server group sit behind one public host. Needs MEDIA_NODE_REPORT_SECONDS.
   */
  MEDIA_NODE_ROUTED: Type.Boolean({ default: false }),
  /**
   * Where the front door reaches this process inside the network (scheme, host and port, e.g.
   * http://10.0.3.7:8085), in those reports; defaults to http://127.0.0.1:<MEDIA_PORT>.
   */
  MEDIA_NODE_ORIGIN: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+$', maxLength: 2048 })),
  /** Consumers this process is meant to carry in all (placement avoids nodes near it); 0: 500 per worker. */
  MEDIA_MAX_CONSUMERS: Type.Integer({ default: 0, minimum: 0 }),
  /**
   * The address other media nodes reach this one at for rooms spanning nodes (PipeTransports,
   * bound to MEDIA_LISTEN_IP on a port of the RTC range); defaults to MEDIA_ANNOUNCED_IP. Rooms
   * span nodes only when nodes report their load (MEDIA_NODE_REPORT_SECONDS).
   */
  MEDIA_PIPE_ANNOUNCED_IP: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  /**
   * A recorder session not renewed (recorder.renew) for this many seconds is closed with
   * everything it sends: its recorder is presumed dead, and the room no longer shows as recorded.
   */
  MEDIA_RECORDER_LEASE_SECONDS: Type.Number({ default: 10, exclusiveMinimum: 0 }),
  /**
   * Let peers publish over plain RTP (`createTransport { plain: true }`): synthetic peers, SIP or
   * hardware gateways on a trusted network. Off by default, since a plain (comedia) port takes
   * its media from the first sender that reaches it, with no ICE or DTLS to prove who that is.
   */
  MEDIA_PLAIN_INGEST: Type.Boolean({ default: false }),
  /** Public base URL: must equal the rooms and auth services' (the issuer of join grants). */
  PUBLIC_URL: Type.String({ default: 'http://localhost:8080' }),
  AUTH_JWKS_URL: Type.String({ default: 'http://127.0.0.1:8081/.well-known/jwks.json' }),
});

export type MediaConfig = Static<typeof MediaConfigSchema>;
export const MEDIA_CONFIG = Symbol('MEDIA_CONFIG');

export function loadMediaConfig(env: NodeJS.ProcessEnv = process.env): MediaConfig {
  const config = loadConfig(MediaConfigSchema, env);
  if (config.MEDIA_RTC_MIN_PORT > config.MEDIA_RTC_MAX_PORT) {
    throw new Error('MEDIA_RTC_MIN_PORT must not exceed MEDIA_RTC_MAX_PORT');
  }
  if (config.MEDIA_NODE_REPORT_SECONDS > 0 && !/^serv[0-9]+$/.test(config.MEDIA_SERVER_ID)) {
    throw new Error(
      'MEDIA_SERVER_ID must be a server group id (servN) when MEDIA_NODE_REPORT_SECONDS is set',
    );
  }
  const anyAddress = config.MEDIA_LISTEN_IP === '0.0.0.0' || config.MEDIA_LISTEN_IP === '::';
  if (
    config.MEDIA_NODE_REPORT_SECONDS > 0 &&
    anyAddress &&
    !config.MEDIA_PIPE_ANNOUNCED_IP &&
    !config.MEDIA_ANNOUNCED_IP
  ) {
    throw new Error(
      'MEDIA_LISTEN_IP is every address: set MEDIA_ANNOUNCED_IP or MEDIA_PIPE_ANNOUNCED_IP, the address other media nodes reach this one at for rooms spanning nodes',
    );
  }
  if (config.MEDIA_NODE_ROUTED && config.MEDIA_NODE_REPORT_SECONDS <= 0) {
    throw new Error(
      'MEDIA_NODE_ROUTED needs MEDIA_NODE_REPORT_SECONDS: the front door finds nodes by their reports',
    );
  }
  if (config.MEDIA_NODE_ROUTED && config.MEDIA_NODE_URL) {
    throw new Error('MEDIA_NODE_URL and MEDIA_NODE_ROUTED both say where clients reach this node: set one');
  }
  return config;
}

/** This process's node id: configured, or made from the server id, host and pid (unique per process). */
export function nodeIdOf(config: MediaConfig, host = hostname(), pid = process.pid): string {
  if (config.MEDIA_NODE_ID) return config.MEDIA_NODE_ID;
  const safeHost = host.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 80);
  return `${config.MEDIA_SERVER_ID}-${safeHost}-${pid}`;
}

export const issuerOf = (config: MediaConfig) => config.PUBLIC_URL.replace(/\/+$/, '');

/** Where the worker binary is: the configured one, else the build script's cache. */
export function workerBinOf(config: MediaConfig, env: NodeJS.ProcessEnv = process.env): string {
  if (config.MEDIASOUP_WORKER_BIN) return config.MEDIASOUP_WORKER_BIN;
  const cacheDir = env.CONFER_CACHE_DIR || join(homedir(), '.cache', 'confer');
  return join(cacheDir, `mediasoup-worker-${MEDIASOUP_VERSION}`);
}
