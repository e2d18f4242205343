import { Type } from '@sinclair/typebox';
import { defineCommand } from './define-command';

/**
 * What a platform-signed token may be for. Closed on purpose: no internal service can
 * have auth sign an access token or a participant token through this command.
 */
export const PlatformTokenPurposes = ['confer:join-grant', 'confer:webhook'] as const;

export const SignPlatformToken = defineCommand({
  service: 'auth',
  name: 'platform-token.sign',
  summary:
    'Sign a short-lived RS256 JWT with the platform key (kid in the published JWKS) for one of a closed set of purposes: webhook deliveries, and join grants as rooms replicas of earlier releases had them signed (rooms now signs its own, EdDSA).',
  request: Type.Object({
    audience: Type.Union(PlatformTokenPurposes.map((p) => Type.Literal(p))),
    subject: Type.String({ minLength: 1, maxLength: 256 }),
    /** Private claims; registered claims (iss, aud, sub, iat, nbf, exp, jti) are set by auth and cannot be given. */
    claims: Type.Record(Type.String(), Type.Unknown()),
    ttlSeconds: Type.Integer({ minimum: 1, maximum: 3600 }),
  }),
  reply: Type.Object({
    token: Type.String(),
    kid: Type.String(),
    /** epoch seconds */
    expiresAt: Type.Integer(),
  }),
});
