import { errors, JWTPayload } from 'jose';
import { ORG_CLAIM, Principal, RATE_LIMIT_CLAIM, SERVER_API_SCOPE } from './principal';

/** Why a bearer token was refused; the message is safe to show the caller. */
export class InvalidAccessToken extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAccessToken';
  }
}

/**
 * Verifies a platform access token (RS256, our issuer and API audience). The auth
 * service binds a verifier over its own keys; every other service one over the
 * published JWKS.
 */
export abstract class AccessTokenVerifier {
  abstract verify(token: string): Promise<Principal>;
}

/** Turns verified claims into a Principal, refusing tokens that are not API credentials. */
export function principalFromClaims(claims: JWTPayload, defaultRateLimit: number): Principal {
  const orgId = claims[ORG_CLAIM];
  const clientId = claims.azp;
  const scope = typeof claims.scope === 'string' ? claims.scope : '';
  if (typeof orgId !== 'string' || typeof clientId !== 'string' || claims.gty !== 'client-credentials') {
    throw new InvalidAccessToken('the token is not a client-credentials access token');
  }
  if (!scope.split(' ').includes(SERVER_API_SCOPE))
    throw new InvalidAccessToken(`the token lacks the ${SERVER_API_SCOPE} scope`);
  const rate = claims[RATE_LIMIT_CLAIM];
  return {
    orgId,
    clientId,
    scope,
    rateLimitPerSecond: typeof rate === 'number' && rate > 0 ? rate : defaultRateLimit,
  };
}

/** A jose failure as a message that names the problem without echoing the token. */
export function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the access token has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the access token's "${error.claim}" claim is not acceptable`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the access token signature is invalid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the access token algorithm is not allowed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'the access token was signed by an unknown key';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
    return 'the access token is malformed';
  if (error instanceof InvalidAccessToken) return error.message;
  return 'the access token could not be verified';
}
