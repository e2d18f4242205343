import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AccessTokenGuard } from '@confer/auth-client';

/**
 * Glayr's clients send the access token bare (`Authorization: <JWT>`); others send
 * `Bearer <JWT>`. Both reach the same access-token check.
 */
@Injectable()
export class GlayrAuthorizationGuard implements CanActivate {
  constructor(private readonly accessTokens: AccessTokenGuard) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.headers.authorization?.trim();
    if (header && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(header))
      request.headers.authorization = `Bearer ${header}`;
    return this.accessTokens.canActivate(context);
  }
}
