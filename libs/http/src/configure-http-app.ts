import { HttpAdapterHost } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { bodyParserErrorTranslator } from './body-parser-errors';
import { requestSanity } from './request-sanity';
import { HttpErrorFilter } from './http-error.filter';
import { OpenApiOptions, setupOpenApi } from './openapi';
import { RequestValidationPipe } from './validation.pipe';

export const DEFAULT_BODY_LIMIT = '1mb';

/** Express's `trust proxy` setting: true, a hop count, or a list of subnets. */
export type TrustProxy = boolean | number | string;

export interface HttpAppOptions extends OpenApiOptions {
  /** Largest accepted JSON or form body, in body-parser syntax ('1mb'). */
  bodyLimit?: string;
  /** Defaults to TRUST_PROXY, else false: only trust X-Forwarded-* behind a known proxy. */
  trustProxy?: TrustProxy;
}

function trustProxyFromEnv(value: string | undefined): TrustProxy {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/**
 * Applies Confer's HTTP conventions to a Nest Express app: body parsers (JSON and
 * urlencoded, the latter for OAuth token endpoints), the error filter, the
 * validation pipe and OpenAPI. Call before `init()`/`listen()`; tests use it on a
 * `Test.createTestingModule(...).createNestApplication()` instance.
 */
export function configureHttpApp(
  app: NestExpressApplication,
  options: HttpAppOptions,
): NestExpressApplication {
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  app.set('trust proxy', options.trustProxy ?? trustProxyFromEnv(process.env.TRUST_PROXY));
  app.disable('x-powered-by');
  // Registered now, Nest sees them and skips its own default parsers at init.
  app.useBodyParser('json', { limit });
  app.useBodyParser('urlencoded', { limit, extended: true });
  app.use(bodyParserErrorTranslator);
  app.use(requestSanity);
  app.useGlobalFilters(new HttpErrorFilter(app.get(HttpAdapterHost)));
  app.useGlobalPipes(new RequestValidationPipe());
  setupOpenApi(app, options);
  return app;
}
