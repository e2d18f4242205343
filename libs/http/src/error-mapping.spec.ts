import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  NotFoundException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { AppError } from './app-error';
import { fromBodyParserError } from './body-parser-errors';
import { mapError } from './error-mapping';

function bodyParserError(type: string, status: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`parser says ${type}`), {
    type,
    status,
    statusCode: status,
    expose: true,
    ...extra,
  });
}

describe('mapError', () => {
  it('uses the status, code, message and details of an AppError', () => {
    expect(mapError(new AppError('room_not_found', 404, 'Room not found', { roomId: 'r1' }))).toEqual({
      status: 404,
      body: { code: 'room_not_found', message: 'Room not found', details: { roomId: 'r1' } },
      unexpected: false,
    });
  });

  it.each([
    [new NotFoundException('Cannot GET /nope'), 404, 'not_found', 'Cannot GET /nope'],
    [new PayloadTooLargeException(), 413, 'payload_too_large', 'Payload Too Large'],
    [new UnsupportedMediaTypeException(), 415, 'unsupported_media_type', 'Unsupported Media Type'],
    [new ForbiddenException('nope'), 403, 'forbidden', 'nope'],
    [new HttpException('teapot', 418), 418, 'invalid_request', 'teapot'],
    [new HttpException('down', 503), 503, 'service_unavailable', 'down'],
  ])('maps %p to %p %p', (exception, status, code, message) => {
    expect(mapError(exception)).toEqual({ status, body: { code, message }, unexpected: false });
  });

  it('keeps the problems of Nest-style array messages', () => {
    const mapped = mapError(new BadRequestException(['name must be a string', 'age must be a number']));
    expect(mapped.body).toEqual({
      code: 'invalid_request',
      message: 'name must be a string',
      details: { problems: ['name must be a string', 'age must be a number'] },
    });
  });

  it('honours a well-formed code given in an HttpException body', () => {
    expect(mapError(new ForbiddenException({ code: 'room_locked', message: 'Locked' })).body).toEqual({
      code: 'room_locked',
      message: 'Locked',
    });
    expect(mapError(new ForbiddenException({ code: 'Bad Code!', message: 'Locked' })).body.code).toBe(
      'forbidden',
    );
  });

  it('maps body-parser failures that reach the filter untranslated', () => {
    expect(mapError(bodyParserError('entity.too.large', 413, { limit: 1024 }))).toEqual({
      status: 413,
      body: {
        code: 'payload_too_large',
        message: 'The request body is too large',
        details: { limitBytes: 1024 },
      },
      unexpected: false,
    });
  });

  it('hides anything unexpected behind a 500 internal', () => {
    const mapped = mapError(new Error('password=hunter2 in SQL'));
    expect(mapped).toEqual({
      status: 500,
      body: { code: 'internal', message: 'Internal server error' },
      unexpected: true,
    });
    expect(mapError('a string').unexpected).toBe(true);
    expect(mapError(Object.assign(new Error('x'), { status: 400 })).status).toBe(500);
  });
});

describe('fromBodyParserError', () => {
  it.each([
    ['entity.parse.failed', 400, 'invalid_json'],
    ['entity.too.large', 413, 'payload_too_large'],
    ['parameters.too.many', 413, 'payload_too_large'],
    ['encoding.unsupported', 415, 'unsupported_media_type'],
    ['charset.unsupported', 415, 'unsupported_media_type'],
    ['request.aborted', 400, 'request_aborted'],
    ['request.size.invalid', 400, 'invalid_request'],
  ])('maps %p to %p %p without leaking the parser message', (type, status, code) => {
    const error = fromBodyParserError(bodyParserError(type, status));
    expect(error).toMatchObject({ status, code });
    expect(error?.message).not.toContain('parser says');
  });

  it('ignores other errors', () => {
    expect(fromBodyParserError(new SyntaxError('x'))).toBeUndefined();
    expect(fromBodyParserError(bodyParserError('stream.not.readable', 500))).toBeUndefined();
    expect(fromBodyParserError({ type: 'entity.parse.failed' })).toBeUndefined();
  });
});
