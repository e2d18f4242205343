import { DEAD_LETTER_STREAM, DEAD_LETTER_SUBJECTS, EVENTS_STREAM, EVENTS_SUBJECTS } from '@confer/contracts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/** How one JetStream stream is set up at start-up. */
export interface StreamSettings {
  name: string;
  subjects: string[];
  /** How long a message is kept (limits retention). */
  maxAgeMs: number;
  /** Re-publications of one Nats-Msg-Id inside this window are dropped. */
  duplicateWindowMs: number;
  storage: 'file' | 'memory';
  replicas: number;
  /** -1: unbounded. */
  maxBytes: number;
}

export interface BusModuleOptions {
  /** Name of this service: connection name, and queue group of its command handlers. */
  service: string;
  /** Default: NATS_URL from the environment, else nats://127.0.0.1:4222. Comma-separated lists are accepted. */
  url?: string | string[];
  connect?: {
    /** Start-up attempts before giving up (fail fast rather than run without a bus). Default 5. */
    attempts?: number;
    retryDelayMs?: number;
    /** Per-attempt connection timeout. Default 2000. */
    timeoutMs?: number;
    /**
     * Whether a request's timeout error tells where the request was made. Default true.
     * It costs a stack trace captured per request, which a service making a request or
     * two per hot-path call may decline (measured: 7% of the rooms service's CPU in joins).
     */
    asyncTraces?: boolean;
  };
  streams?: {
    events?: Partial<StreamSettings>;
    deadLetters?: Partial<StreamSettings>;
  };
  /** Default reply timeout of CommandClient.request. Default 2000. */
  commandTimeoutMs?: number;
  /** Upper bound on waiting for in-flight handlers and the drain at shutdown. Default 10000. */
  shutdownTimeoutMs?: number;
  /** Upper bound of BusHealth.check. Default 1000. */
  healthTimeoutMs?: number;
}

export interface ResolvedBusOptions {
  service: string;
  servers: string[];
  connect: { attempts: number; retryDelayMs: number; timeoutMs: number; asyncTraces?: boolean };
  streams: { events: StreamSettings; deadLetters: StreamSettings };
  commandTimeoutMs: number;
  shutdownTimeoutMs: number;
  healthTimeoutMs: number;
}

export const DEFAULT_EVENTS_STREAM: StreamSettings = {
  name: EVENTS_STREAM,
  subjects: [EVENTS_SUBJECTS],
  maxAgeMs: 7 * DAY,
  duplicateWindowMs: 2 * MINUTE,
  storage: 'file',
  replicas: 1,
  maxBytes: -1,
};

export const DEFAULT_DEAD_LETTER_STREAM: StreamSettings = {
  name: DEAD_LETTER_STREAM,
  subjects: [DEAD_LETTER_SUBJECTS],
  maxAgeMs: 30 * DAY,
  duplicateWindowMs: 2 * MINUTE,
  storage: 'file',
  replicas: 1,
  maxBytes: -1,
};

function serversFrom(url: string | string[] | undefined, env: NodeJS.ProcessEnv): string[] {
  const raw = url ?? env['NATS_URL'] ?? DEFAULT_NATS_URL;
  const list = (Array.isArray(raw) ? raw : raw.split(',')).map((s) => s.trim()).filter(Boolean);
  return list.length ? list : [DEFAULT_NATS_URL];
}

/**
 * NATS_STREAM_REPLICAS: how many JetStream servers keep each Confer stream (1 on one
 * machine; 3 on a three-node NATS cluster, so losing a server loses no event).
 */
function replicasFrom(env: NodeJS.ProcessEnv): Partial<StreamSettings> {
  const raw = env['NATS_STREAM_REPLICAS'];
  if (raw === undefined || raw === '') return {};
  const replicas = Number(raw);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5) {
    throw new Error(`NATS_STREAM_REPLICAS must be an integer from 1 to 5 (got "${raw}")`);
  }
  return { replicas };
}

export function resolveBusOptions(
  options: BusModuleOptions,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedBusOptions {
  if (!options.service || !/^[A-Za-z0-9_-]+$/.test(options.service)) {
    // The service name becomes a queue group and a connection name: keep it one subject token.
    throw new Error(
      `BusModule: "service" must be a non-empty token of letters, digits, "_" or "-" (got "${options.service}")`,
    );
  }
  return {
    service: options.service,
    servers: serversFrom(options.url, env),
    connect: {
      attempts: Math.max(1, options.connect?.attempts ?? 5),
      retryDelayMs: options.connect?.retryDelayMs ?? 1000,
      timeoutMs: options.connect?.timeoutMs ?? 2000,
      asyncTraces: options.connect?.asyncTraces ?? true,
    },
    streams: {
      events: { ...DEFAULT_EVENTS_STREAM, ...replicasFrom(env), ...options.streams?.events },
      deadLetters: { ...DEFAULT_DEAD_LETTER_STREAM, ...replicasFrom(env), ...options.streams?.deadLetters },
    },
    commandTimeoutMs: options.commandTimeoutMs ?? 2000,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 10_000,
    healthTimeoutMs: options.healthTimeoutMs ?? 1000,
  };
}
