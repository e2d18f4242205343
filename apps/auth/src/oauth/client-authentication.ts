import { timingSafeEqual, createHash } from 'crypto';
import { hasControlCharacter } from '@confer/http';
import { OAuthError } from './oauth.errors';

export interface PresentedClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * Reads the client's credentials from HTTP Basic (RFC 6749 §2.3.1: each part is
 * form-urlencoded, then base64) or from the form body, never both.
 */
export function readClientCredentials(
  authorization: string | undefined,
  body: Record<string, unknown>,
): PresentedClientCredentials {
  const presented = presentedCredentials(authorization, body);
  // Our keys never hold control characters; refusing them here keeps them out of SQL.
  if (hasControlCharacter(presented.clientId) || presented.clientId.length > 128) {
    throw new OAuthError('invalid_client', 'the client id is not a valid API key');
  }
  return presented;
}

function presentedCredentials(
  authorization: string | undefined,
  body: Record<string, unknown>,
): PresentedClientCredentials {
  const inBody = body.client_id !== undefined || body.client_secret !== undefined;
  if (authorization !== undefined) {
    if (inBody)
      throw new OAuthError(
        'invalid_request',
        'use one client authentication method: Basic or the form body, not both',
      );
    return parseBasic(authorization);
  }
  if (inBody) {
    const clientId = body.client_id;
    const clientSecret = body.client_secret;
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || !clientId || !clientSecret) {
      throw new OAuthError(
        'invalid_client',
        'client_id and client_secret must both be given as non-empty strings',
      );
    }
    return { clientId, clientSecret };
  }
  throw new OAuthError(
    'invalid_client',
    'client authentication is required: Authorization: Basic base64(api_key:api_key_secret)',
  );
}

function parseBasic(header: string): PresentedClientCredentials {
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!match)
    throw new OAuthError(
      'invalid_client',
      'the Authorization header is not "Basic <base64(api_key:api_key_secret)>"',
    );
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) {
    throw new OAuthError(
      'invalid_client',
      'the Basic credentials must be api_key:api_key_secret, both non-empty',
    );
  }
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    throw new OAuthError('invalid_client', 'the Basic credentials are not valid form-urlencoded text');
  }
}

/** Compares secrets in constant time (hashing first makes the lengths equal). */
export function secretsEqual(presented: string, stored: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(stored).digest();
  return timingSafeEqual(a, b);
}
