import { defineErrors } from './define-errors';

/** Errors raised by this library itself; services declare their own catalogues. */
export const HttpErrors = defineErrors({
  INVALID_REQUEST: { status: 400, message: 'The request is invalid' },
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON' },
  REQUEST_ABORTED: { status: 400, message: 'The request was aborted while its body was read' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body encoding or charset is not supported' },
  INTERNAL: { status: 500, message: 'Internal server error' },
});
