import { SchemaViolation, defineCommand } from '@confer/contracts';
import { Type } from '@sinclair/typebox';
import { ErrorCode, NatsError } from 'nats';
import {
  CommandCallError,
  CommandFailed,
  CommandRejection,
  CommandReplyInvalid,
  CommandTimeout,
  CommandUnavailable,
} from './bus.errors';
import { invalidRequest, readCommandResult, requestError, toCommandFailure } from './command-result';

const Add = defineCommand({
  service: 'calc',
  name: 'add',
  summary: 'test',
  request: Type.Object({ a: Type.Number() }),
  reply: Type.Object({ sum: Type.Number() }),
});

describe('toCommandFailure', () => {
  it('passes a stable code and its message through', () => {
    expect(toCommandFailure(new CommandRejection('wrong_room', 'token is for another room'))).toEqual({
      error: { code: 'wrong_room', message: 'token is for another room' },
      expected: true,
    });
    expect(toCommandFailure({ code: 'key_revoked' })).toEqual({
      error: { code: 'key_revoked', message: 'key_revoked' },
      expected: true,
    });
  });

  it.each([
    ['a plain error', new Error('boom')],
    ['a Node system error', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a Node internal error', Object.assign(new TypeError('bad arg'), { code: 'ERR_INVALID_ARG_TYPE' })],
    ['a PostgreSQL error', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a non-string code', { code: 42, message: 'x' }],
    ['a string', 'oops'],
    ['undefined', undefined],
  ])('hides %s behind internal', (_label, err) => {
    expect(toCommandFailure(err)).toEqual({
      error: { code: 'internal', message: 'internal error' },
      expected: false,
    });
  });

  it('lists schema problems for an invalid request', () => {
    expect(invalidRequest(new SchemaViolation('r', ['/a: Expected number', '/b: Required']))).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: '/a: Expected number; /b: Required' },
    });
  });
});

describe('readCommandResult', () => {
  it('returns the reply of a success, keeping unknown fields', () => {
    expect(readCommandResult(Add, { ok: true, reply: { sum: 3, extra: true } })).toEqual({
      sum: 3,
      extra: true,
    });
  });

  it('throws CommandFailed for a refusal', () => {
    expect(() =>
      readCommandResult(Add, { ok: false, error: { code: 'overflow', message: 'too big' } }),
    ).toThrow(
      expect.objectContaining({
        name: 'CommandFailed',
        code: 'overflow',
        remoteMessage: 'too big',
        subject: 'confer.cmd.calc.add',
      }),
    );
  });

  it.each([
    ['a reply breaking the schema', { ok: true, reply: { sum: 'three' } }],
    ['a body without ok', { sum: 3 }],
    ['an error without code', { ok: false, error: { message: 'x' } }],
    ['null', null],
  ])('throws CommandReplyInvalid for %s', (_label, body) => {
    expect(() => readCommandResult(Add, body)).toThrow(CommandReplyInvalid);
  });
});

describe('requestError', () => {
  it('maps NATS failures to typed errors', () => {
    const timeout = requestError('s', 150, NatsError.errorForCode(ErrorCode.Timeout));
    expect(timeout).toBeInstanceOf(CommandTimeout);
    expect(timeout).toMatchObject({ subject: 's', timeoutMs: 150 });
    expect(requestError('s', 1, NatsError.errorForCode(ErrorCode.NoResponders))).toBeInstanceOf(
      CommandUnavailable,
    );
    expect(requestError('s', 1, NatsError.errorForCode(ErrorCode.ConnectionClosed))).toBeInstanceOf(
      CommandUnavailable,
    );
    const other = requestError('s', 1, new Error('weird'));
    expect(other).toBeInstanceOf(CommandCallError);
    expect(other).not.toBeInstanceOf(CommandFailed);
    expect(other.message).toContain('weird');
  });
});
