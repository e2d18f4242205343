import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { NatsConnection } from 'nats';
import { describe } from './bus.errors';
import { ResolvedBusOptions } from './bus.options';
import { BUS_OPTIONS, NATS_CONNECTION } from './bus.tokens';

const logger = new Logger('Bus');

/**
 * Drains the connection last: consumers and command servers stop in
 * beforeApplicationShutdown, so by now only acks and replies are left to flush.
 */
@Injectable()
export class BusShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(BUS_OPTIONS) private readonly options: ResolvedBusOptions,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.nc.isClosed()) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.shutdownTimeoutMs);
    });
    try {
      const drained = this.nc.isDraining() ? this.nc.closed() : this.nc.drain();
      if ((await Promise.race([drained, timeout])) === 'timeout') {
        logger.warn({ message: 'NATS drain timed out; closing', timeoutMs: this.options.shutdownTimeoutMs });
      }
    } catch (err) {
      logger.warn({ message: 'NATS drain failed; closing', error: describe(err) });
    } finally {
      clearTimeout(timer);
      if (!this.nc.isClosed()) await this.nc.close().catch(() => undefined);
    }
  }
}
