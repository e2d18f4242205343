import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { ReadinessRegistry } from '@confer/telemetry';
import { NatsConnection } from 'nats';
import { BusNotReady, describe } from './bus.errors';
import { ResolvedBusOptions } from './bus.options';
import { BUS_OPTIONS, NATS_CONNECTION } from './bus.tokens';

/** Connection health for readiness probes; registers itself as the `nats` check of /readyz. */
@Injectable()
export class BusHealth implements OnModuleInit {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(BUS_OPTIONS) private readonly options: ResolvedBusOptions,
    @Optional() private readonly readiness?: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness?.register('nats', () => this.check());
  }

  /**
   * Resolves when the server answers a ping within the timeout; throws BusNotReady when the
   * connection is closed, draining, or reconnecting (a ping then waits, so it times out).
   */
  async check(timeoutMs: number = this.options.healthTimeoutMs): Promise<void> {
    if (this.nc.isClosed()) throw new BusNotReady('NATS connection is closed');
    if (this.nc.isDraining()) throw new BusNotReady('NATS connection is draining');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new BusNotReady(`NATS did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.nc.rtt(), timeout]);
    } catch (err) {
      throw err instanceof BusNotReady
        ? err
        : new BusNotReady(`NATS ping failed: ${describe(err)}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Same as check(), as a boolean, for callers that only report. */
  async isHealthy(timeoutMs?: number): Promise<boolean> {
    try {
      await this.check(timeoutMs);
      return true;
    } catch {
      return false;
    }
  }
}
