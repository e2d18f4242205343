import { DynamicModule, Global, Module } from '@nestjs/common';
import { AccessTokenGuard, API_RATE_LIMITER } from './access-token.guard';
import { AccessTokenVerifier } from './access-token.verifier';
import { RemoteJwksAccessTokenVerifier } from './remote-jwks-access-token.verifier';
import { RevocationAwareVerifier } from './revocation-aware.verifier';
import { RevokedApiKeys } from './revoked-api-keys';
import { TokenBucketRateLimiter } from './token-bucket.rate-limiter';

export interface ServerApiAccessOptions {
  /** Where auth publishes its keys, e.g. http://auth:8081/.well-known/jwks.json */
  jwksUrl: string;
  /** The platform's public base URL: the issuer of access tokens. */
  issuer: string;
  defaultRateLimit: number;
}

/**
 * How a service other than auth guards its server API: access tokens verified against
 * the published JWKS, refused once their API key is revoked (from `api-key.revoked`
 * events; needs the global BusModule), then rate-limited per credential. Controllers
 * use `@UseGuards(AccessTokenGuard)`.
 */
@Global()
@Module({})
export class ServerApiAccessModule {
  static forRoot(options: ServerApiAccessOptions): DynamicModule {
    const issuer = options.issuer.replace(/\/+$/, '');
    return {
      module: ServerApiAccessModule,
      providers: [
        RevokedApiKeys,
        {
          provide: AccessTokenVerifier,
          inject: [RevokedApiKeys],
          useFactory: (revoked: RevokedApiKeys) =>
            new RevocationAwareVerifier(
              new RemoteJwksAccessTokenVerifier({
                jwksUrl: options.jwksUrl,
                issuer,
                audience: `${issuer}/v1/`,
                defaultRateLimit: options.defaultRateLimit,
              }),
              revoked,
            ),
        },
        { provide: API_RATE_LIMITER, useValue: new TokenBucketRateLimiter() },
        AccessTokenGuard,
      ],
      exports: [AccessTokenVerifier, API_RATE_LIMITER, AccessTokenGuard, RevokedApiKeys],
    };
  }
}
