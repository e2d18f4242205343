import { BeforeApplicationShutdown, Global, Injectable, Logger, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'http';

/** Longest wait for in-flight requests before their connections are cut. */
export const HTTP_DRAIN_TIMEOUT_MS = 10_000;

/**
 * On shutdown, stops accepting connections and lets in-flight requests finish
 * before the database pool and the bus close (their hooks run after this one):
 * otherwise a deploy turns requests in flight into 500s.
 */
@Injectable()
export class HttpDrain implements BeforeApplicationShutdown {
  readonly #logger = new Logger(HttpDrain.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server?.listening) return;
    await new Promise<void>((resolve) => {
      // A keep-alive connection whose request just finished would hold close() open
      // until it times out: close connections as soon as they fall idle.
      const sweeper = setInterval(() => server.closeIdleConnections(), 50);
      const timer = setTimeout(() => {
        this.#logger.warn({
          msg: 'requests still in flight after the drain timeout; closing their connections',
        });
        server.closeAllConnections();
      }, HTTP_DRAIN_TIMEOUT_MS);
      server.close(() => {
        clearInterval(sweeper);
        clearTimeout(timer);
        resolve();
      });
      server.closeIdleConnections();
    });
  }
}

/** Import once in a service's root module. */
@Global()
@Module({ providers: [HttpDrain] })
export class HttpLifecycleModule {}
