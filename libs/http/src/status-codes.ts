/** The generic error code for a status, for errors that do not carry their own. */
const CODES: Readonly<Record<number, string>> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  409: 'conflict',
  410: 'gone',
  411: 'length_required',
  412: 'precondition_failed',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  428: 'precondition_required',
  429: 'too_many_requests',
  500: 'internal',
  501: 'not_implemented',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

export function codeForStatus(status: number): string {
  return CODES[status] ?? (status >= 400 && status < 500 ? 'invalid_request' : 'internal');
}

/** A short human description of an error status, for OpenAPI. */
const DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'The request is malformed or fails validation',
  401: 'Missing or invalid credentials',
  403: 'The caller may not do this',
  404: 'The resource does not exist',
  409: 'The request conflicts with the current state',
  413: 'The request body is too large',
  415: 'The request body has an unsupported media type',
  422: 'The request is well-formed but cannot be processed',
  429: 'Too many requests',
  500: 'Unexpected server error',
  503: 'A dependency is unavailable',
};

export function describeStatus(status: number): string {
  return DESCRIPTIONS[status] ?? `Error ${status}`;
}
