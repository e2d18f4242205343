import {
  CommandContract,
  CommandError,
  CommandErrorSchema,
  CommandResult,
  ReplyOf,
  SchemaViolation,
  parseWith,
} from '@confer/contracts';
import { Type } from '@sinclair/typebox';
import { ErrorCode } from 'nats';
import {
  CommandCallError,
  CommandFailed,
  CommandReplyInvalid,
  CommandTimeout,
  CommandUnavailable,
  describe,
} from './bus.errors';
import { natsErrCode } from './jetstream-errors';

export const INVALID_REQUEST = 'invalid_request';
export const INTERNAL = 'internal';

/**
 * Codes a handler may send back are lower-case identifiers like `wrong_room`. The check
 * keeps driver and system errors, which also carry a string `code` (ECONNREFUSED,
 * ERR_INVALID_ARG_TYPE, PostgreSQL's 23505), from leaking to callers as if they were
 * the service's own stable codes.
 */
const STABLE_CODE = /^[a-z][a-z0-9_.-]{0,63}$/;

export interface HandlerFailure {
  error: CommandError;
  /** False for an unexpected error: logged with its stack, and shown to the caller as `internal`. */
  expected: boolean;
}

export function toCommandFailure(err: unknown): HandlerFailure {
  if (typeof err === 'object' && err !== null) {
    const { code, message } = err as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && STABLE_CODE.test(code)) {
      return {
        error: { code, message: typeof message === 'string' && message ? message : code },
        expected: true,
      };
    }
  }
  return { error: { code: INTERNAL, message: 'internal error' }, expected: false };
}

export function invalidRequest(violation: SchemaViolation): CommandResult<never> {
  return { ok: false, error: { code: INVALID_REQUEST, message: violation.problems.join('; ') } };
}

const ResultSchema = Type.Union([
  Type.Object({ ok: Type.Literal(true), reply: Type.Unknown() }),
  Type.Object({ ok: Type.Literal(false), error: CommandErrorSchema }),
]);

/** Turns a decoded reply body into the typed reply, or throws the matching CommandCallError. */
export function readCommandResult<C extends CommandContract>(contract: C, body: unknown): ReplyOf<C> {
  try {
    const result = parseWith(ResultSchema, body, `${contract.subject} result`);
    if (!result.ok) throw new CommandFailed(contract.subject, result.error.code, result.error.message);
    return parseWith(contract.reply, result.reply, `${contract.subject} reply`) as ReplyOf<C>;
  } catch (err) {
    if (err instanceof SchemaViolation) throw new CommandReplyInvalid(contract.subject, err.problems);
    throw err;
  }
}

/** Maps a failed NATS request to the typed error a caller can branch on. */
export function requestError(subject: string, timeoutMs: number, err: unknown): CommandCallError {
  switch (natsErrCode(err)) {
    case ErrorCode.Timeout:
      return new CommandTimeout(subject, timeoutMs);
    case ErrorCode.NoResponders:
      return new CommandUnavailable(subject, 'no service answers this command', err);
    case ErrorCode.ConnectionClosed:
    case ErrorCode.ConnectionDraining:
    case ErrorCode.Disconnect:
      return new CommandUnavailable(subject, 'the bus connection is closed', err);
    default:
      return new CommandCallError(subject, `${subject} request failed: ${describe(err)}`, { cause: err });
  }
}
