import { Inject, Injectable, Logger } from '@nestjs/common';
import { SERVER_API_SCOPE, TokenBucketRateLimiter, API_RATE_LIMITER } from '@confer/auth-client';
import { AUTH_CONFIG, AuthConfig } from '../config/auth.config';
import { ApiKeyCredentials } from '../api-keys/api-key-credentials';
import { AccessTokens } from '../access/access-tokens.service';
import { readClientCredentials, secretsEqual } from './client-authentication';
import { OAuthError } from './oauth.errors';
import { RefreshTokens } from './refresh-tokens';
import { TokenResponseDto } from './token.request.dto';

/** The token endpoint's use case: authenticate the client, then run its grant. */
@Injectable()
export class IssueToken {
  readonly #logger = new Logger(IssueToken.name);

  constructor(
    private readonly credentials: ApiKeyCredentials,
    private readonly accessTokens: AccessTokens,
    private readonly refreshTokens: RefreshTokens,
    @Inject(API_RATE_LIMITER) private readonly limiter: TokenBucketRateLimiter,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  async execute(authorization: string | undefined, body: Record<string, unknown>): Promise<TokenResponseDto> {
    const presented = readClientCredentials(authorization, body);
    const client = await this.credentials.find(presented.clientId);
    if (!client || client.revoked || !secretsEqual(presented.clientSecret, client.secret)) {
      throw new OAuthError('invalid_client', 'unknown API key, revoked key or wrong secret');
    }
    const rateLimit = client.rateLimitPerSecond ?? this.config.DEFAULT_RATE_LIMIT_PER_SECOND;
    const decision = this.limiter.consume(client.keyId, rateLimit);
    if (!decision.allowed) {
      throw new OAuthError(
        'invalid_request',
        `rate limit of ${rateLimit} requests per second exceeded`,
        429,
        decision.retryAfterSeconds,
      );
    }

    const grantType = body.grant_type;
    if (grantType === undefined || grantType === '')
      throw new OAuthError('invalid_request', 'grant_type is required');
    if (typeof grantType !== 'string') throw new OAuthError('invalid_request', 'grant_type must be a string');
    const scope = this.grantedScope(body.scope);
    const grant = { clientId: client.keyId, orgId: client.orgId, scope, rateLimitPerSecond: rateLimit };

    if (grantType === 'client_credentials') {
      const [access, refresh] = await Promise.all([
        this.accessTokens.issue(grant),
        this.refreshTokens.issue(grant),
      ]);
      return this.response(access, refresh, scope);
    }
    if (grantType === 'refresh_token') {
      const presentedToken = body.refresh_token;
      if (typeof presentedToken !== 'string' || !presentedToken) {
        throw new OAuthError('invalid_request', 'refresh_token is required with grant_type=refresh_token');
      }
      const redemption = await this.refreshTokens.redeem(presentedToken, client.keyId);
      if (redemption.outcome === 'reused') {
        this.reportReuse(redemption.token.orgId, client.keyId, redemption.token.familyId);
        throw new OAuthError(
          'invalid_grant',
          'the refresh token was already used; its token family is now revoked',
        );
      }
      if (redemption.outcome !== 'redeemed') {
        throw new OAuthError(
          'invalid_grant',
          `the refresh token is ${redemption.outcome === 'wrong_client' ? 'unknown' : redemption.outcome}`,
        );
      }
      const successorGrant = { ...grant, scope: redemption.token.scope };
      const [access, refresh] = await Promise.all([
        this.accessTokens.issue(successorGrant),
        this.refreshTokens.issue({ ...successorGrant, familyId: redemption.token.familyId }),
      ]);
      return this.response(access, refresh, successorGrant.scope);
    }
    throw new OAuthError(
      'unsupported_grant_type',
      `grant_type "${grantType.slice(0, 64)}" is not supported; use client_credentials or refresh_token`,
    );
  }

  private grantedScope(requested: unknown): string {
    if (requested === undefined || requested === '') return SERVER_API_SCOPE;
    if (typeof requested !== 'string') throw new OAuthError('invalid_request', 'scope must be a string');
    const unknown = requested.split(' ').filter((s) => s && s !== SERVER_API_SCOPE);
    if (unknown.length)
      throw new OAuthError(
        'invalid_scope',
        `unknown scope "${unknown[0].slice(0, 64)}"; only ${SERVER_API_SCOPE} is granted`,
      );
    return SERVER_API_SCOPE;
  }

  private response(
    access: { token: string; expiresIn: number },
    refresh: string,
    scope: string,
  ): TokenResponseDto {
    return {
      access_token: access.token,
      refresh_token: refresh,
      expires_in: access.expiresIn,
      token_type: 'Bearer',
      scope,
    };
  }

  private reportReuse(orgId: string, clientId: string, familyId: string): void {
    // The event itself goes out with the revocation (RefreshTokens.revokeFamily).
    this.#logger.warn({ msg: 'refresh token reuse: family revoked', orgId, clientId, familyId });
  }
}
