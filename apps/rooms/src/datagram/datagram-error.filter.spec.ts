import type { ArgumentsHost } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { AppError } from '@confer/http';
import { DatagramErrorFilter } from './datagram-error.filter';

/** A recording HTTP adapter: what the filter answered. */
function harness() {
  const replies: Array<{ body: unknown; status: number }> = [];
  const adapterHost = {
    httpAdapter: {
      isHeadersSent: () => false,
      end: () => undefined,
      reply: (_response: unknown, body: unknown, status: number) => replies.push({ body, status }),
    },
  } as unknown as HttpAdapterHost;
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({
      getRequest: () => ({ method: 'GET', url: '/api/v1/alias/x' }),
      getResponse: () => ({}),
    }),
  } as unknown as ArgumentsHost;
  return { filter: new DatagramErrorFilter(adapterHost), host, replies };
}

describe('DatagramErrorFilter', () => {
  it.each([
    [new AppError('token_invalid', 401, 'The participant token was refused'), 401, 'UNAUTHORIZED'],
    [new AppError('invalid_token', 401, 'expired'), 401, 'UNAUTHORIZED'],
    [new AppError('alias_not_found', 404, 'Alias not found'), 404, 'Alias not found'],
  ])('answers Datagram’s own body for %s', (error, status, message) => {
    const { filter, host, replies } = harness();
    filter.catch(error, host);
    expect(replies).toEqual([{ status, body: { error: { message } } }]);
  });

  it('keeps Confer’s shape, with its code, for every other error', () => {
    const { filter, host, replies } = harness();
    filter.catch(new AppError('invalid_request', 400, 'expired_at must be in the future'), host);
    expect(replies).toEqual([
      {
        status: 400,
        body: { error: { code: 'invalid_request', message: 'expired_at must be in the future' } },
      },
    ]);
  });
});
