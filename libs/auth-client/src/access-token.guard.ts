import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AppError } from '@confer/http';
import type { Request, Response } from 'express';
import { AccessTokenVerifier, InvalidAccessToken } from './access-token.verifier';
import { Principal } from './principal';
import { TokenBucketRateLimiter } from './token-bucket.rate-limiter';

export interface RequestWithPrincipal extends Request {
  principal?: Principal;
}

/** One limiter per process, shared by every guarded route, so a credential's budget is global to the replica. */
export const API_RATE_LIMITER = Symbol('API_RATE_LIMITER');

/**
 * Guards the server API: a valid platform access token (401 with WWW-Authenticate
 * otherwise, RFC 6750), then the credential's rate limit (429 with Retry-After).
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    @Inject(API_RATE_LIMITER) private readonly limiter: TokenBucketRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<RequestWithPrincipal>();
    const response = http.getResponse<Response>();
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header) : null;
    if (!match) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="confer"');
      throw new AppError('unauthorized', 401, 'an Authorization: Bearer <access token> header is required');
    }
    let principal: Principal;
    try {
      principal = await this.verifier.verify(match[1]);
    } catch (error) {
      const message =
        error instanceof InvalidAccessToken ? error.message : 'the access token could not be verified';
      // A quoted-string may not hold a bare `"` or `\` (RFC 7235), and messages quote claim names.
      const description = message.replace(/["\\]/g, "'");
      response.setHeader(
        'WWW-Authenticate',
        `Bearer realm="confer", error="invalid_token", error_description="${description}"`,
      );
      throw new AppError('invalid_token', 401, message);
    }
    const decision = this.limiter.consume(principal.clientId, principal.rateLimitPerSecond);
    if (!decision.allowed) {
      response.setHeader('Retry-After', String(decision.retryAfterSeconds));
      throw new AppError(
        'rate_limited',
        429,
        `rate limit of ${principal.rateLimitPerSecond} requests per second exceeded`,
        {
          retryAfterSeconds: decision.retryAfterSeconds,
        },
      );
    }
    request.principal = principal;
    return true;
  }
}
