import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ApiErrorResponse } from './api-error-response.dto';
import { ErrorFactory } from './define-errors';
import { describeStatus } from './status-codes';

/** A status, or a catalogue entry (whose code is then named in the docs). */
export type DocumentedError = number | ErrorFactory;

/**
 * Documents the error responses of a route (or of every route of a controller)
 * with the shared error schema:
 *
 *   @ApiErrors(400, 401, RoomErrors.roomNotFound)
 */
export function ApiErrors(...errors: DocumentedError[]): MethodDecorator & ClassDecorator {
  const codesByStatus = new Map<number, string[]>();
  for (const error of errors) {
    const status = typeof error === 'number' ? error : error.status;
    const codes = codesByStatus.get(status) ?? [];
    if (typeof error !== 'number') codes.push(error.code);
    codesByStatus.set(status, codes);
  }
  const decorators = [...codesByStatus.entries()].map(([status, codes]) =>
    ApiResponse({
      status,
      description: codes.length
        ? `${describeStatus(status)} (codes: ${codes.join(', ')})`
        : describeStatus(status),
      type: ApiErrorResponse,
    }),
  );
  return applyDecorators(...decorators);
}
