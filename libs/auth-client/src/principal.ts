/** Who is calling the server API: the API credential behind a platform access token. */
export interface Principal {
  orgId: string;
  /** The API key id the token was issued to. */
  clientId: string;
  scope: string;
  /** Requests per second this credential may make. */
  rateLimitPerSecond: number;
}

/** Scope granted to API credentials. */
export const SERVER_API_SCOPE = 'confer-api';

/** Private claims of platform access tokens, beside iss/sub/aud/iat/exp/azp/gty/scope. */
export const ORG_CLAIM = 'org_id';
export const RATE_LIMIT_CLAIM = 'rate_limit';

/** The `aud` of Confer participant tokens. */
export const PARTICIPANT_TOKEN_AUDIENCE = 'confer:participant';
