import { Logger, Provider } from '@nestjs/common';
import { NatsConnection, connect } from 'nats';
import { BusConnectionError, describe } from './bus.errors';
import { BUS_OPTIONS, NATS_CONNECTION } from './bus.tokens';
import { ResolvedBusOptions } from './bus.options';
import { ensureStreams } from './stream-setup';

const logger = new Logger('Bus');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Connects with a short bounded retry, so a service started next to NATS (compose, k8s)
 * waits for it a little, but one started without a bus fails at boot rather than later.
 * Once connected, reconnection is unbounded: an outage shows up in /readyz, not as a crash.
 */
export async function connectToNats(options: ResolvedBusOptions): Promise<NatsConnection> {
  const { attempts, retryDelayMs, timeoutMs } = options.connect;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const nc = await connect({
        servers: options.servers,
        name: options.service,
        timeout: timeoutMs,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 1000,
        noAsyncTraces: options.connect.asyncTraces === false,
      });
      watchStatus(nc);
      return nc;
    } catch (err) {
      lastError = err;
      if (attempt < attempts) {
        logger.warn({
          message: 'NATS not reachable yet, retrying',
          servers: options.servers,
          attempt,
          error: describe(err),
        });
        await sleep(retryDelayMs);
      }
    }
  }
  throw new BusConnectionError(options.servers, attempts, lastError);
}

function watchStatus(nc: NatsConnection): void {
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' || s.type === 'error' || s.type === 'ldm') {
        logger.warn({ message: `NATS ${s.type}`, data: String(s.data) });
      } else if (s.type === 'reconnect') {
        logger.log({ message: 'NATS reconnected', server: String(s.data) });
      }
    }
  })().catch(() => undefined);
  void nc.closed().then((err) => {
    if (err) logger.error({ message: 'NATS connection closed with an error', error: describe(err) });
  });
}

export const natsConnectionProvider: Provider = {
  provide: NATS_CONNECTION,
  inject: [BUS_OPTIONS],
  useFactory: async (options: ResolvedBusOptions): Promise<NatsConnection> => {
    const nc = await connectToNats(options);
    try {
      const jsm = await nc.jetstreamManager();
      await ensureStreams(jsm, [options.streams.events, options.streams.deadLetters]);
    } catch (err) {
      await nc.close().catch(() => undefined);
      throw err;
    }
    return nc;
  },
};
