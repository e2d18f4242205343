import { Global, Module } from '@nestjs/common';
import {
  AccessTokenGuard,
  AccessTokenVerifier,
  API_RATE_LIMITER,
  TokenBucketRateLimiter,
} from '@confer/auth-client';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AccessTokens } from './access-tokens.service';

/** Issues and verifies access tokens; global so that every controller can use AccessTokenGuard. */
@Global()
@Module({
  imports: [SigningKeysModule, ApiKeysModule],
  providers: [
    AccessTokens,
    { provide: AccessTokenVerifier, useExisting: AccessTokens },
    { provide: API_RATE_LIMITER, useValue: new TokenBucketRateLimiter() },
    AccessTokenGuard,
  ],
  exports: [AccessTokens, AccessTokenVerifier, API_RATE_LIMITER, AccessTokenGuard],
})
export class AccessModule {}
