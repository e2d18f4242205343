export { AppError } from './app-error';
export type { ErrorDetails } from './app-error';
export { defineErrors, listErrors } from './define-errors';
export type {
  ErrorCatalogue,
  ErrorDefinition,
  ErrorFactory,
  ErrorOptions,
  FactoryName,
  CamelCase,
} from './define-errors';
export { HttpErrors } from './http-errors';
export type { ErrorBody, ErrorResponseBody } from './error-response';
export { mapError } from './error-mapping';
export type { MappedError } from './error-mapping';
export { codeForStatus } from './status-codes';
export { fromBodyParserError, bodyParserErrorTranslator } from './body-parser-errors';
export { HttpErrorFilter } from './http-error.filter';
export { RequestValidationPipe } from './validation.pipe';
export { flattenValidationErrors, validationMessage } from './validation-problems';
export type { ValidationProblem } from './validation-problems';
export { ApiErrorResponse, ApiErrorBody } from './api-error-response.dto';
export { ApiErrors } from './api-errors.decorator';
export type { DocumentedError } from './api-errors.decorator';
export { setupOpenApi, buildOpenApiDocument, OPENAPI_JSON_PATH, OPENAPI_UI_PATH } from './openapi';
export type { OpenApiOptions } from './openapi';
export { configureHttpApp, DEFAULT_BODY_LIMIT } from './configure-http-app';
export type { HttpAppOptions, TrustProxy } from './configure-http-app';
export { bootstrapHttpService } from './bootstrap-http-service';
export type { HttpServiceOptions } from './bootstrap-http-service';
export { runClustered } from './run-clustered';
export { HttpDrain, HttpLifecycleModule, HTTP_DRAIN_TIMEOUT_MS } from './http-drain';
export { requestSanity, bodyProblem, hasControlCharacter, MAX_BODY_DEPTH } from './request-sanity';
export { PageQueryDto, halPage, MAX_PAGE } from './hal-page';
export type { HalPage } from './hal-page';
