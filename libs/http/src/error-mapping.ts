import { HttpException, HttpStatus } from '@nestjs/common';
import { AppError } from './app-error';
import { fromBodyParserError } from './body-parser-errors';
import { ErrorBody } from './error-response';
import { HttpErrors } from './http-errors';
import { codeForStatus } from './status-codes';

export interface MappedError {
  status: number;
  body: ErrorBody;
  /** True when the error was not raised on purpose: a bug to log with its stack. */
  unexpected: boolean;
}

const CODE_PATTERN = /^[a-z][a-z0-9_]*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function fromAppError(error: AppError): MappedError {
  const body: ErrorBody = { code: error.code, message: error.message };
  if (error.details !== undefined) body.details = error.details;
  return { status: error.status, body, unexpected: false };
}

function fromHttpException(exception: HttpException): MappedError {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const body: ErrorBody = { code: codeForStatus(status), message: exception.message };
  if (typeof response === 'string') {
    body.message = response;
  } else if (isRecord(response)) {
    // Nest's built-in pipes put a list of problems in `message`.
    if (Array.isArray(response.message) && response.message.length > 0) {
      body.message = String(response.message[0]);
      body.details = { problems: response.message.map(String) };
    } else if (typeof response.message === 'string') {
      body.message = response.message;
    }
    if (typeof response.code === 'string' && CODE_PATTERN.test(response.code)) body.code = response.code;
  }
  return { status, body, unexpected: false };
}

/** Maps anything thrown while handling a request to a status and error body. */
export function mapError(exception: unknown): MappedError {
  if (exception instanceof AppError) return fromAppError(exception);
  if (exception instanceof HttpException) return fromHttpException(exception);
  const fromParser = fromBodyParserError(exception);
  if (fromParser) return fromAppError(fromParser);
  const internal = HttpErrors.internal();
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { code: internal.code, message: internal.message },
    unexpected: true,
  };
}
