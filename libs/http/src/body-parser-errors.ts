import { AppError } from './app-error';
import { HttpErrors } from './http-errors';

/** What body-parser attaches to the errors it raises (they come from `http-errors`). */
interface BodyParserError {
  type: string;
  limit?: number;
  status?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return error instanceof Error && typeof (error as Partial<BodyParserError>).type === 'string';
}

/**
 * Translates a body-parser failure into the catalogue; undefined for anything
 * else. Their own messages name parser internals, so catalogue messages are used.
 */
export function fromBodyParserError(error: unknown): AppError | undefined {
  if (!isBodyParserError(error)) return undefined;
  switch (error.type) {
    case 'entity.parse.failed':
      return HttpErrors.invalidJson(undefined, { cause: error });
    case 'entity.too.large':
      return HttpErrors.payloadTooLarge(error.limit === undefined ? undefined : { limitBytes: error.limit }, {
        cause: error,
      });
    case 'parameters.too.many':
      return HttpErrors.payloadTooLarge(undefined, {
        message: 'The request body has too many parameters',
        cause: error,
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return HttpErrors.unsupportedMediaType(undefined, { cause: error });
    case 'request.aborted':
      return HttpErrors.requestAborted(undefined, { cause: error });
    case 'request.size.invalid':
      return HttpErrors.invalidRequest(undefined, {
        message: 'The request body length does not match Content-Length',
        cause: error,
      });
    default:
      // Any other refusal by a parser (e.g. "The input exceeded the depth") is the
      // client's fault: answer 400 rather than let it surface as a 500.
      return (error as { status?: number }).status !== undefined && (error as { status: number }).status < 500
        ? HttpErrors.invalidRequest(undefined, {
            message: 'The request body could not be parsed',
            cause: error,
          })
        : undefined;
  }
}

type Next = (error?: unknown) => void;

/**
 * Express error middleware placed right after the body parsers. Nest turns a JSON
 * SyntaxError into a plain BadRequestException, losing the fact that the JSON was
 * malformed; translating here keeps `invalid_json` distinguishable for clients.
 */
export function bodyParserErrorTranslator(
  error: unknown,
  _request: unknown,
  _response: unknown,
  next: Next,
): void {
  next(fromBodyParserError(error) ?? error);
}
