import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { currentTraceIds } from '@confer/telemetry';
import { AppError } from './app-error';
import { ErrorResponseBody } from './error-response';
import { mapError } from './error-mapping';

interface RequestLike {
  method?: string;
  url?: string;
  originalUrl?: string;
}

function describeCause(exception: unknown): Record<string, unknown> {
  if (exception instanceof Error) return { error: { name: exception.name, message: exception.message } };
  return { error: { thrown: String(exception) } };
}

/**
 * Global filter giving every 4xx/5xx of every service the same JSON shape:
 * `{ error: { code, message, details?, traceId? } }`. Unexpected errors answer a
 * bare 500 `internal`; their message and stack go to the log only.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    // WebSocket and RPC contexts have their own error conventions.
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<RequestLike>();
    const response = http.getResponse<unknown>();
    const { status, body, unexpected } = mapError(exception);
    const traceId = currentTraceIds()?.traceId;
    if (traceId) body.traceId = traceId;

    const where = {
      method: request.method,
      path: request.originalUrl ?? request.url,
      status,
      code: body.code,
    };
    if (unexpected) {
      const stack = exception instanceof Error ? exception.stack : undefined;
      this.logger.error(
        { msg: 'Unhandled error while serving a request', ...where, ...describeCause(exception) },
        stack,
      );
    } else if (status >= 500) {
      const cause =
        exception instanceof AppError && exception.cause !== undefined ? describeCause(exception.cause) : {};
      this.logger.warn({ msg: body.message, ...where, ...cause });
    } else {
      this.logger.debug({ msg: body.message, ...where });
    }

    const adapter = this.adapterHost.httpAdapter;
    if (adapter.isHeadersSent(response)) {
      // Too late for an error body; ending the response at least frees the client.
      adapter.end(response);
      return;
    }
    const payload: ErrorResponseBody = { error: body };
    adapter.reply(response, payload, status);
  }
}
