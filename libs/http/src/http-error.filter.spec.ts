import { ArgumentsHost, Logger, NotFoundException } from '@nestjs/common';
import { AbstractHttpAdapter, HttpAdapterHost } from '@nestjs/core';
import { getTracer, shutdownTelemetry, startTelemetry } from '@confer/telemetry';
import { AppError } from './app-error';
import { HttpErrorFilter } from './http-error.filter';

interface Reply {
  body: unknown;
  status?: number;
}

function harness(headersSent = false) {
  const replies: Reply[] = [];
  let ended = false;
  const adapter = {
    reply: (_response: unknown, body: unknown, status?: number) => replies.push({ body, status }),
    isHeadersSent: () => headersSent,
    end: () => {
      ended = true;
    },
  } as unknown as AbstractHttpAdapter;
  const adapterHost = { httpAdapter: adapter } as HttpAdapterHost;
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({
      getRequest: () => ({ method: 'POST', originalUrl: '/rooms' }),
      getResponse: () => ({}),
    }),
  } as unknown as ArgumentsHost;
  return { filter: new HttpErrorFilter(adapterHost), host, replies, ended: () => ended };
}

describe('HttpErrorFilter', () => {
  beforeAll(() => startTelemetry({ serviceName: 'filter-test', env: {} }));
  afterAll(() => shutdownTelemetry());
  // 4xx are logged at debug; keep the test output quiet.
  beforeEach(() => jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('replies with the error envelope and status', () => {
    const { filter, host, replies } = harness();
    filter.catch(new AppError('room_full', 409, 'The room is full', { capacity: 4 }), host);
    expect(replies).toEqual([
      {
        status: 409,
        body: { error: { code: 'room_full', message: 'The room is full', details: { capacity: 4 } } },
      },
    ]);
  });

  it('adds the trace id of the active span', () => {
    const { filter, host, replies } = harness();
    const traceId = getTracer('test').startActiveSpan('request', (span) => {
      filter.catch(new NotFoundException('Cannot GET /nope'), host);
      span.end();
      return span.spanContext().traceId;
    });
    expect(replies[0]).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'Cannot GET /nope', traceId } },
    });
  });

  it('logs unexpected errors with their stack but answers a bare 500', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { filter, host, replies } = harness();
    const bug = new Error('column "secret" does not exist');
    filter.catch(bug, host);
    expect(replies).toEqual([
      { status: 500, body: { error: { code: 'internal', message: 'Internal server error' } } },
    ]);
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({
        method: 'POST',
        path: '/rooms',
        status: 500,
        error: { name: 'Error', message: bug.message },
      }),
      bug.stack,
    );
  });

  it('only ends the response when headers were already sent', () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { filter, host, replies, ended } = harness(true);
    filter.catch(new Error('mid-stream'), host);
    expect(replies).toEqual([]);
    expect(ended()).toBe(true);
  });

  it('rethrows outside HTTP contexts', () => {
    const { filter } = harness();
    const error = new Error('ws');
    expect(() => filter.catch(error, { getType: () => 'ws' } as unknown as ArgumentsHost)).toThrow(error);
  });
});
