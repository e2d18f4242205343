import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';

export type ReadinessCheck = () => Promise<void>;

export interface ReadinessReport {
  ready: boolean;
  /** `ok`, or why the dependency is not usable (the error message). */
  checks: Record<string, string>;
}

export const DEFAULT_READINESS_TIMEOUT_MS = 1000;
export const CHECK_OK = 'ok';
/** Name of the pseudo-check that fails once the app begins shutting down. */
export const SHUTDOWN_CHECK = 'shutdown';

interface RegisteredCheck {
  check: ReadinessCheck;
  timeoutMs: number;
}

function describe(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return typeof error === 'string' && error ? error : 'check failed';
}

function withTimeout(check: ReadinessCheck, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  // A check that throws synchronously is a failure like any other.
  const run = Promise.resolve().then(check);
  return Promise.race([run, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Named readiness checks registered by the modules that own a dependency (the
 * bus registers `nats`, the database module `database`). `/readyz` runs them all
 * in parallel, each bounded by a timeout so a hung dependency cannot hang the probe.
 */
@Injectable()
export class ReadinessRegistry implements BeforeApplicationShutdown {
  private readonly checks = new Map<string, RegisteredCheck>();
  private shuttingDown = false;

  /** Registers (or replaces) a check; returns a function removing it. */
  register(name: string, check: ReadinessCheck, options: { timeoutMs?: number } = {}): () => void {
    const entry = { check, timeoutMs: options.timeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS };
    this.checks.set(name, entry);
    return () => {
      if (this.checks.get(name) === entry) this.checks.delete(name);
    };
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  async run(): Promise<ReadinessReport> {
    const entries = [...this.checks.entries()];
    const outcomes = await Promise.allSettled(
      entries.map(([, entry]) => withTimeout(entry.check, entry.timeoutMs)),
    );
    const checks: Record<string, string> = {};
    let ready = true;
    entries.forEach(([name], index) => {
      const outcome = outcomes[index];
      if (outcome.status === 'fulfilled') {
        checks[name] = CHECK_OK;
      } else {
        ready = false;
        checks[name] = describe(outcome.reason);
      }
    });
    if (this.shuttingDown) {
      ready = false;
      checks[SHUTDOWN_CHECK] = 'shutting down';
    }
    return { ready, checks };
  }

  /** Turning unready first lets the load balancer drain us before connections close. */
  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }
}
