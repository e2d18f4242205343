import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { mapError } from '@confer/http';
import type { Response } from 'express';

/** The Gcore statistics envelope for failures: `{"data": null, "errors": [{code, message}]}`. */
@Catch()
export class StatisticsErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('StatisticsErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const mapped = mapError(exception);
    if (mapped.unexpected) {
      this.logger.error({
        message: 'statistics query failed',
        error: String(exception),
        stack: exception instanceof Error ? exception.stack : undefined,
      });
    }
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(mapped.status)
      .json({ data: null, errors: [mapped.body] });
  }
}
