import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { SignJWT } from 'jose';
import { CommandRejection } from '@confer/bus';
import { ReplyOf, RequestOf, SignPlatformToken } from '@confer/contracts';
import { AUTH_CONFIG, AuthConfig, issuerOf } from '../../config/auth.config';
import { SigningKeys } from '../signing-keys.service';

const REGISTERED_CLAIMS = ['iss', 'aud', 'sub', 'iat', 'nbf', 'exp', 'jti'];

/**
 * Signs short-lived tokens for other services (join grants now) with the platform
 * key, so that one key set, one rotation and one JWKS serve every verifier.
 */
@Injectable()
export class SignPlatformTokenService {
  constructor(
    private readonly signingKeys: SigningKeys,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  async execute(request: RequestOf<typeof SignPlatformToken>): Promise<ReplyOf<typeof SignPlatformToken>> {
    const forbidden = Object.keys(request.claims).find((claim) => REGISTERED_CLAIMS.includes(claim));
    if (forbidden)
      throw new CommandRejection(
        'invalid_request',
        `the "${forbidden}" claim is set by auth, not by the caller`,
      );
    const { kid, privateKey } = await this.signingKeys.currentSigningKey();
    const now = Math.floor(Date.now() / 1000);
    const expiresAt = now + request.ttlSeconds;
    const token = await new SignJWT(request.claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
      .setIssuer(issuerOf(this.config))
      .setAudience(request.audience)
      .setSubject(request.subject)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(privateKey);
    return { token, kid, expiresAt };
  }
}
