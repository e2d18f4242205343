import { createRemoteJWKSet, jwtVerify } from 'jose';
import {
  AccessTokenVerifier,
  describeJoseError,
  InvalidAccessToken,
  principalFromClaims,
} from './access-token.verifier';
import { Principal } from './principal';

export interface RemoteJwksOptions {
  /** Where the auth service publishes its keys, e.g. http://auth:8081/.well-known/jwks.json */
  jwksUrl: string;
  issuer: string;
  audience: string;
  defaultRateLimit: number;
}

/** For services other than auth: verifies against the published JWKS (cached, refetched on an unknown kid). */
export class RemoteJwksAccessTokenVerifier extends AccessTokenVerifier {
  readonly #jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly options: RemoteJwksOptions) {
    super();
    this.#jwks = createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
    });
  }

  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.#jwks, {
        algorithms: ['RS256'],
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: 5,
      });
      return principalFromClaims(payload, this.options.defaultRateLimit);
    } catch (error) {
      throw new InvalidAccessToken(describeJoseError(error));
    }
  }
}
