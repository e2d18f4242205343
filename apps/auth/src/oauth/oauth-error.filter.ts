import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { OAuthError } from './oauth.errors';

/** Answers token-endpoint errors as RFC 6749 §5.2 says: {error, error_description}, no-store. */
@Catch(OAuthError)
export class OAuthErrorFilter implements ExceptionFilter {
  catch(error: OAuthError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Pragma', 'no-cache');
    if (error.status === 401) response.setHeader('WWW-Authenticate', 'Basic realm="confer", charset="UTF-8"');
    if (error.retryAfterSeconds) response.setHeader('Retry-After', String(error.retryAfterSeconds));
    response.status(error.status).json({ error: error.code, error_description: error.description });
  }
}
