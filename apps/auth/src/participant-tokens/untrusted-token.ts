import { decodeJwt, decodeProtectedHeader, JWTPayload, ProtectedHeaderParameters } from 'jose';
import { refuse, TokenRefused } from './token-refusal';

/**
 * A token's header and payload read WITHOUT checking the signature. Only good for
 * choosing the form and the key; every claim a decision rests on is read again from
 * the payload that jwtVerify returns.
 */
export interface UntrustedToken {
  readonly compact: string;
  readonly header: ProtectedHeaderParameters;
  readonly payload: JWTPayload;
}

export function decodeUntrusted(compact: string): UntrustedToken {
  const token = compact.trim();
  if (token.split('.').length !== 3) {
    refuse('malformed', 'The token is not a compact JWS (three dot-separated parts)');
  }
  try {
    const header = decodeProtectedHeader(token);
    const payload = decodeJwt(token);
    if (typeof header.alg !== 'string') refuse('malformed', 'The token header names no "alg"');
    return { compact: token, header, payload };
  } catch (err) {
    if (err instanceof TokenRefused) throw err;
    refuse('malformed', `The token cannot be decoded: ${err instanceof Error ? err.message : String(err)}`);
  }
}
