import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiProperty } from '@nestjs/swagger';
import { HttpErrorFilter, mapError } from '@confer/http';

/** Datagram's own error bodies, word for word. */
export const DATAGRAM_ERRORS = {
  401: { error: { message: 'UNAUTHORIZED' } },
  404: { error: { message: 'Alias not found' } },
} as const;

class DatagramErrorMessage {
  @ApiProperty({ example: 'UNAUTHORIZED' }) message: string;
}

/** `{"error":{"message":"UNAUTHORIZED"}}` or `{"error":{"message":"Alias not found"}}`. */
export class DatagramErrorResponse {
  @ApiProperty({ type: DatagramErrorMessage }) error: DatagramErrorMessage;
}

/**
 * On the Datagram alias routes, 401 and 404 answer exactly Datagram's documented
 * bodies, which integrators may compare verbatim. Every other error keeps Confer's
 * shape, `{error:{code,message,…}}`, which still has Datagram's `error.message`.
 */
@Catch()
export class DatagramErrorFilter implements ExceptionFilter {
  readonly #fallback: HttpErrorFilter;

  constructor(private readonly adapterHost: HttpAdapterHost) {
    this.#fallback = new HttpErrorFilter(adapterHost);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status } = mapError(exception);
    if (host.getType() !== 'http' || (status !== 401 && status !== 404)) {
      this.#fallback.catch(exception, host);
      return;
    }
    const adapter = this.adapterHost.httpAdapter;
    const response = host.switchToHttp().getResponse<unknown>();
    if (adapter.isHeadersSent(response)) {
      adapter.end(response);
      return;
    }
    adapter.reply(response, DATAGRAM_ERRORS[status], status);
  }
}
