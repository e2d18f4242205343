import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import {
  AccessTokenVerifier,
  describeJoseError,
  InvalidAccessToken,
  ORG_CLAIM,
  Principal,
  principalFromClaims,
  RATE_LIMIT_CLAIM,
} from '@confer/auth-client';
import { apiAudienceOf, AUTH_CONFIG, AuthConfig, issuerOf } from '../config/auth.config';
import { SigningKeys } from '../signing-keys/signing-keys.service';
import { ApiKeyCredentials } from '../api-keys/api-key-credentials';

export interface AccessTokenGrant {
  orgId: string;
  clientId: string;
  scope: string;
  rateLimitPerSecond: number;
}

/**
 * Issues platform access tokens (RS256, the claims of an OAuth2 client-credentials
 * grant) and verifies them locally: the auth service does not fetch its own JWKS.
 */
@Injectable()
export class AccessTokens extends AccessTokenVerifier {
  constructor(
    private readonly signingKeys: SigningKeys,
    private readonly credentials: ApiKeyCredentials,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {
    super();
  }

  async issue(grant: AccessTokenGrant): Promise<{ token: string; expiresIn: number }> {
    const { kid, privateKey } = await this.signingKeys.currentSigningKey();
    const expiresIn = this.config.ACCESS_TOKEN_TTL_SECONDS;
    const token = await new SignJWT({
      azp: grant.clientId,
      gty: 'client-credentials',
      scope: grant.scope,
      [ORG_CLAIM]: grant.orgId,
      [RATE_LIMIT_CLAIM]: grant.rateLimitPerSecond,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
      .setIssuer(issuerOf(this.config))
      .setSubject(`${grant.clientId}@clients`)
      .setAudience(apiAudienceOf(this.config))
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(`${expiresIn}s`)
      .sign(privateKey);
    return { token, expiresIn };
  }

  async verify(token: string): Promise<Principal> {
    try {
      const { kid } = decodeProtectedHeader(token);
      const key = kid ? await this.signingKeys.verificationKey(kid) : undefined;
      if (!key) throw new InvalidAccessToken('the access token was signed by an unknown key');
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['RS256'],
        issuer: issuerOf(this.config),
        audience: apiAudienceOf(this.config),
        clockTolerance: 5,
      });
      const principal = principalFromClaims(payload, this.config.DEFAULT_RATE_LIMIT_PER_SECOND);
      // A revoked key's tokens die with it (within the credential cache's few seconds),
      // or a stolen key could mint itself a fresh one before its tokens expire.
      const credential = await this.credentials.find(principal.clientId);
      if (!credential || credential.revoked)
        throw new InvalidAccessToken('the API key behind this access token was revoked');
      return principal;
    } catch (error) {
      throw new InvalidAccessToken(describeJoseError(error));
    }
  }
}
