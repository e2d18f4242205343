import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ApiErrorResponse } from './api-error-response.dto';

export const OPENAPI_JSON_PATH = '/openapi.json';
export const OPENAPI_UI_PATH = '/docs';

export interface OpenApiOptions {
  title: string;
  description: string;
  version: string;
  /** Serve the Swagger UI at /docs too (default true). The JSON is always served. */
  ui?: boolean;
}

export function buildOpenApiDocument(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .setVersion(options.version)
    .addBearerAuth()
    .addBasicAuth()
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [ApiErrorResponse] });
}

/**
 * Builds the service's OpenAPI document from its decorators and serves it as
 * JSON at /openapi.json (what the docs build and client generators fetch), plus
 * the Swagger UI at /docs. Call before the app is initialised.
 */
export function setupOpenApi(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  const document = buildOpenApiDocument(app, options);
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, {
    ui: options.ui ?? true,
    raw: ['json'],
    jsonDocumentUrl: OPENAPI_JSON_PATH,
  });
  return document;
}
