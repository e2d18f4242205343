import { EventContract } from '@confer/contracts';
import { OutboxError } from './outbox.errors';

export interface OutboxModuleOptions {
  /** Fallback poll for missed notifications and rows a dead replica left. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Rows taken (and locked) per relay transaction. Default 100. */
  batchSize?: number;
  /** First delay after a failed batch; doubles per consecutive failure. Default 100 ms. */
  initialBackoffMs?: number;
  /** Cap of that delay. Default 5000 ms. */
  maxBackoffMs?: number;
  /** Upper bound on waiting for the in-flight batch at shutdown. Default 5000 ms. */
  shutdownTimeoutMs?: number;
  /**
   * Events this service writes that are not in the contracts catalogue (test events,
   * mostly). The relay can only publish rows whose contract it can resolve.
   */
  contracts?: readonly EventContract[];
  /**
   * Opt-in `outbox` readiness check: fails while the oldest pending row is older than this.
   * Off by default: the outbox exists so writes keep working while publishing lags, and an
   * unready pod stops taking the very writes that would be queued. Lag is a metric to alert on.
   */
  readinessMaxLagMs?: number;
}

export interface ResolvedOutboxOptions {
  pollIntervalMs: number;
  batchSize: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  shutdownTimeoutMs: number;
  contracts: readonly EventContract[];
  readinessMaxLagMs?: number;
}

export const OUTBOX_DEFAULTS = {
  pollIntervalMs: 1000,
  batchSize: 100,
  initialBackoffMs: 100,
  maxBackoffMs: 5000,
  shutdownTimeoutMs: 5000,
} as const;

/** Applies defaults and refuses nonsense at start-up rather than as a stalled relay later. */
export function resolveOutboxOptions(options: OutboxModuleOptions = {}): ResolvedOutboxOptions {
  const resolved: ResolvedOutboxOptions = {
    pollIntervalMs: options.pollIntervalMs ?? OUTBOX_DEFAULTS.pollIntervalMs,
    batchSize: options.batchSize ?? OUTBOX_DEFAULTS.batchSize,
    initialBackoffMs: options.initialBackoffMs ?? OUTBOX_DEFAULTS.initialBackoffMs,
    maxBackoffMs: options.maxBackoffMs ?? OUTBOX_DEFAULTS.maxBackoffMs,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? OUTBOX_DEFAULTS.shutdownTimeoutMs,
    contracts: options.contracts ?? [],
    readinessMaxLagMs: options.readinessMaxLagMs,
  };
  for (const key of ['pollIntervalMs', 'batchSize', 'initialBackoffMs', 'maxBackoffMs'] as const) {
    const value = resolved[key];
    if (!Number.isInteger(value) || value < 1) {
      throw new OutboxError(`OutboxModule: ${key} must be a positive integer (got ${value})`);
    }
  }
  if (!Number.isInteger(resolved.shutdownTimeoutMs) || resolved.shutdownTimeoutMs < 0) {
    throw new OutboxError(`OutboxModule: shutdownTimeoutMs must be ≥ 0 (got ${resolved.shutdownTimeoutMs})`);
  }
  if (resolved.maxBackoffMs < resolved.initialBackoffMs) {
    throw new OutboxError('OutboxModule: maxBackoffMs must be ≥ initialBackoffMs');
  }
  const lag = resolved.readinessMaxLagMs;
  if (lag !== undefined && (!Number.isInteger(lag) || lag < 1)) {
    throw new OutboxError(`OutboxModule: readinessMaxLagMs must be a positive integer (got ${lag})`);
  }
  return resolved;
}
