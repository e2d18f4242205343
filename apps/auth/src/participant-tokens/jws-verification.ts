import { errors, JWTPayload, jwtVerify } from 'jose';
import { Clock } from './clock';
import { CLOCK_TOLERANCE_SECONDS } from './participant-token.constants';
import { refuse, TokenRefused } from './token-refusal';
import { UntrustedToken } from './untrusted-token';
import { VerificationKey } from './ports/participant-token-keys.port';

export interface JwsCheckOptions {
  clock: Clock;
  /** Required `iss`, when the form fixes it. */
  issuer?: string;
  /** Required `aud`, when the form fixes it. */
  audience?: string;
}

export interface VerifiedToken<K extends VerificationKey = VerificationKey> {
  /** Claims whose signature checked out: the only claims decisions may rest on. */
  readonly claims: JWTPayload;
  readonly key: K;
}

/** How refusals name a key, e.g. `API key ak_123`. */
export function describeKey(key: VerificationKey): string {
  switch (key.kind) {
    case 'api_key':
      return `API key ${key.id}`;
    case 'organisation_public_key':
      return `public key ${key.id}`;
    case 'alias_secret':
      return `the secret of alias ${key.id}`;
    case 'platform_key':
      return `Confer signing key ${key.id}`;
  }
}

/**
 * Verifies a token against one key. The key's own algorithm is the only one allowed:
 * the header must name it before anything is computed, and jwtVerify is told to accept
 * that algorithm alone. So `alg: none` and an HS256 token keyed with an RSA public key
 * (the RS/HS confusion) are refused by construction.
 */
export async function verifyWithKey<K extends VerificationKey>(
  token: UntrustedToken,
  key: K,
  options: JwsCheckOptions,
): Promise<VerifiedToken<K>> {
  if (key.revoked) refuse('key_revoked', `${capitalise(describeKey(key))} has been revoked`);
  if (token.header.alg !== key.algorithm) {
    refuse(
      'algorithm_not_allowed',
      `${capitalise(describeKey(key))} verifies ${key.algorithm} signatures only; the token says "${String(token.header.alg)}"`,
    );
  }
  try {
    const { payload } = await jwtVerify(token.compact, key.key, {
      algorithms: [key.algorithm],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: options.clock.now(),
      ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
      ...(options.audience !== undefined ? { audience: options.audience } : {}),
    });
    return { claims: payload, key };
  } catch (err) {
    throw refusalFromJose(err, key);
  }
}

/**
 * Verifies a token that names no key against each candidate key of one organisation.
 * A signature mismatch moves on to the next key; any other refusal means the signature
 * matched, so it is final.
 */
export async function verifyWithAnyKey<K extends VerificationKey>(
  token: UntrustedToken,
  candidates: readonly K[],
  options: JwsCheckOptions & { describeCandidates: string },
): Promise<VerifiedToken<K>> {
  for (const key of candidates) {
    try {
      return await verifyWithKey(token, key, options);
    } catch (err) {
      if (err instanceof TokenRefused && err.reason === 'bad_signature') continue;
      throw err;
    }
  }
  refuse('bad_signature', `The signature matches none of ${options.describeCandidates}`);
}

function refusalFromJose(err: unknown, key: VerificationKey): TokenRefused {
  if (err instanceof TokenRefused) return err;
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return new TokenRefused('bad_signature', `The signature does not verify with ${describeKey(key)}`);
  }
  if (err instanceof errors.JWTExpired) {
    return new TokenRefused('expired', `The token expired (claim "exp" is in the past)`);
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing')
      return new TokenRefused('missing_claim', `Claim "${err.claim}" is required`);
    if (err.reason === 'check_failed') {
      if (err.claim === 'nbf')
        return new TokenRefused('not_yet_valid', 'The token is not valid yet (claim "nbf" is in the future)');
      if (err.claim === 'aud' || err.claim === 'iss') {
        return new TokenRefused(
          'wrong_audience',
          `Claim "${err.claim}" does not name what ${describeKey(key)} signs for`,
        );
      }
    }
    return new TokenRefused('malformed', `Claim "${err.claim}" is invalid: ${err.message}`);
  }
  if (err instanceof errors.JOSEAlgNotAllowed) {
    return new TokenRefused(
      'algorithm_not_allowed',
      `${capitalise(describeKey(key))} verifies ${key.algorithm} signatures only`,
    );
  }
  if (err instanceof errors.JOSEError) {
    // JWSInvalid, JWTInvalid, JOSENotSupported (e.g. an unknown "crit" header): the token itself is broken.
    return new TokenRefused('malformed', `The token is not a valid JWT: ${err.message}`);
  }
  if (err instanceof TypeError) {
    // jose raises TypeError when key and algorithm do not fit; the algorithm guard above should make this unreachable.
    return new TokenRefused(
      'algorithm_not_allowed',
      `${capitalise(describeKey(key))} cannot verify this token: ${err.message}`,
    );
  }
  throw err;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
