import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import {
  AccessTokenGuard,
  API_RATE_LIMITER,
  RequestWithPrincipal,
  TokenBucketRateLimiter,
} from '@confer/auth-client';
import { AppError } from '@confer/http';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../../config/webhooks.config';
import { WebhookErrors } from '../../webhooks.errors';
import { CONFERENCE_OWNERS, ConferenceOwner, ConferenceOwners } from './owners/conference-owners.port';

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

interface GlayrRequest extends RequestWithPrincipal {
  conferenceOwner?: ConferenceOwner;
}

/** Who calls the Glayr API: an organisation (client credentials), or one owner of a conference. */
export interface GlayrCaller {
  orgId: string;
  /** Set when the caller is a conference owner rather than the organisation. */
  owner?: ConferenceOwner;
}

export const CurrentGlayrCaller = createParamDecorator(
  (_: unknown, context: ExecutionContext): GlayrCaller => {
    const request = context.switchToHttp().getRequest<GlayrRequest>();
    if (request.principal) return { orgId: request.principal.orgId };
    if (request.conferenceOwner)
      return { orgId: request.conferenceOwner.orgId, owner: request.conferenceOwner };
    throw new AppError('unauthorized', 401, 'this route requires an access token or an owner token');
  },
);

/**
 * Glayr lets two callers in: an organisation's client-credentials access token, and "one
 * of the owners of the conference". Glayr's clients send the token bare
 * (`Authorization: <JWT>`), others as `Bearer <JWT>`; both are accepted. An access token
 * is tried first; a token that is not one is then checked as a participant token, which
 * makes its bearer an owner of the room it names if its role there moderates. Owners
 * share their organisation's default rate limit, counted per room.
 */
@Injectable()
export class GlayrAuthorizationGuard implements CanActivate {
  constructor(
    private readonly accessTokens: AccessTokenGuard,
    @Inject(CONFERENCE_OWNERS) private readonly owners: ConferenceOwners,
    @Inject(API_RATE_LIMITER) private readonly limiter: TokenBucketRateLimiter,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<GlayrRequest>();
    const header = request.headers.authorization?.trim();
    if (header && JWT.test(header)) request.headers.authorization = `Bearer ${header}`;
    try {
      return await this.accessTokens.canActivate(context);
    } catch (error) {
      const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (!(error instanceof AppError) || error.code !== 'invalid_token' || !token || !JWT.test(token))
        throw error;
      const check = await this.owners.check(token);
      if (check.kind === 'invalid') throw error;
      if (check.kind === 'refused')
        throw WebhookErrors.notConferenceOwner({
          reason:
            check.reason === 'not_moderating'
              ? 'the participant token does not moderate its room'
              : 'the participant token names no room',
        });
      const owner = check.owner;
      const decision = this.limiter.consume(
        `owner:${owner.orgId}:${owner.roomId}`,
        this.config.DEFAULT_RATE_LIMIT_PER_SECOND,
      );
      const response = context.switchToHttp().getResponse<Response>();
      if (!decision.allowed) {
        response.setHeader('Retry-After', String(decision.retryAfterSeconds));
        throw new AppError('rate_limited', 429, 'rate limit exceeded', {
          retryAfterSeconds: decision.retryAfterSeconds,
        });
      }
      // The access-token check announced a Bearer challenge; this caller passed another way.
      response.removeHeader('WWW-Authenticate');
      request.conferenceOwner = owner;
      return true;
    }
  }
}
