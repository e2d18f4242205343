import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { JsonLogger } from '@confer/telemetry';
import { configureHttpApp, HttpAppOptions } from './configure-http-app';

export interface HttpServiceOptions extends HttpAppOptions {
  serviceName: string;
  /** 0 picks a free port (tests); the bound port is in the start log line. */
  port: number;
  /** Defaults to HOST, else 0.0.0.0 so the container's port mapping reaches it. */
  host?: string;
  /**
   * Work that must finish before shutdown begins, once SIGTERM or SIGINT arrives (a media
   * server letting its calls end). Until it resolves the app runs as usual: ready, serving.
   */
  beforeShutdown?: (app: NestExpressApplication) => Promise<unknown>;
}

type ModuleClass = Parameters<typeof NestFactory.create>[0];

interface AddressLike {
  port: number;
}

/**
 * Creates, configures and starts a service's HTTP app. `main.ts` imports the
 * service's `tracing.ts` (which calls startTelemetry) before this module.
 */
export async function bootstrapHttpService(
  appModule: ModuleClass,
  options: HttpServiceOptions,
): Promise<NestExpressApplication> {
  const logger = new JsonLogger({ service: options.serviceName });
  // Our own parsers are installed by configureHttpApp; buffered logs are flushed
  // through the JSON logger so even Nest's start-up lines are JSON.
  const app = await NestFactory.create<NestExpressApplication>(appModule, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(logger);
  if (options.beforeShutdown) closeAfter(app, options.beforeShutdown);
  else app.enableShutdownHooks();
  configureHttpApp(app, options);
  const host = options.host ?? process.env.HOST ?? '0.0.0.0';
  await app.listen(options.port, host);
  const address = app.getHttpServer().address() as AddressLike | string | null;
  const port = address !== null && typeof address === 'object' ? address.port : options.port;
  new Logger('Bootstrap').log({
    msg: `${options.serviceName} listening on http://${host}:${port}`,
    host,
    port,
  });
  return app;
}

/**
 * Nest's shutdown hooks, with `before` awaited first: on the first SIGTERM or SIGINT, wait
 * for it, close the app (every shutdown hook runs), then end as the signal would have.
 */
function closeAfter(
  app: NestExpressApplication,
  before: (app: NestExpressApplication) => Promise<unknown>,
): void {
  const logger = new Logger('Shutdown');
  const onSignal = (signal: NodeJS.Signals) => {
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
    logger.log({ msg: `${signal}: finishing before shutdown` });
    void before(app)
      .catch((error: unknown) => logger.error({ msg: 'before-shutdown work failed', error: String(error) }))
      .then(() => app.close())
      .finally(() => process.kill(process.pid, signal));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
