import { ParticipantRole, ParticipantRoles, VerifiedParticipant } from '@confer/contracts';
import { Clock } from '../clock';
import {
  epochSeconds,
  keyIdentifier,
  optionalObject,
  optionalString,
  requiredIdentifier,
  requiredString,
} from '../claims';
import { verifyWithKey } from '../jws-verification';
import { CONFER_PARTICIPANT_AUDIENCE } from '../participant-token.constants';
import { ParticipantTokenKeys } from '../ports/participant-token-keys.port';
import { refuse } from '../token-refusal';
import { UntrustedToken } from '../untrusted-token';
import { ParticipantTokenForm } from './participant-token-form';

/**
 * Confer's own participant tokens (minted by POST /v1/tokens): RS256 with a platform
 * signing key named by `kid`, `iss` = our issuer, `aud` = confer:participant. The
 * organisation is in `org_id`, a claim only our own key can have signed.
 */
export class ConferParticipantTokenForm implements ParticipantTokenForm {
  readonly form = 'confer' as const;

  constructor(
    private readonly keys: ParticipantTokenKeys,
    private readonly clock: Clock,
    private readonly issuer: string,
    private readonly maxLifetimeSeconds: number,
  ) {}

  recognises(token: UntrustedToken): boolean {
    return token.payload.iss === this.issuer;
  }

  async verify(token: UntrustedToken): Promise<VerifiedParticipant> {
    if (token.header.kid === undefined)
      refuse(
        'unknown_key',
        'A Confer participant token names its signing key in header "kid"; this one names none',
      );
    const kid = keyIdentifier(token.header.kid, 'Header "kid"');
    const key = await this.keys.platformKey(kid);
    if (!key) refuse('unknown_key', `No Confer signing key "${kid}" (header "kid")`);
    const { claims } = await verifyWithKey(token, key, {
      clock: this.clock,
      issuer: this.issuer,
      audience: CONFER_PARTICIPANT_AUDIENCE,
    });

    if (claims.exp === undefined) refuse('missing_claim', 'Claim "exp" is required');
    const start = claims.nbf ?? claims.iat;
    if (start === undefined) refuse('missing_claim', 'Claim "iat" (or "nbf") is required');
    if (claims.exp - start > this.maxLifetimeSeconds) {
      refuse(
        'lifetime_too_long',
        `The token lives ${claims.exp - start} s; at most ${this.maxLifetimeSeconds} s are allowed`,
      );
    }

    return {
      form: this.form,
      orgId: requiredIdentifier(claims, 'org_id', 'the organisation the token was minted for'),
      roomId: requiredIdentifier(claims, 'room', 'the room the token admits to'),
      identity: requiredIdentifier(claims, 'sub', 'the participant the token is for'),
      displayName: optionalString(claims, 'name'),
      role: participantRole(requiredString(claims, 'role', "the participant's role")),
      attributes: optionalObject(claims, 'attrs') ?? {},
      keyId: key.id,
      tokenId: optionalString(claims, 'jti'),
      notBefore: epochSeconds(claims.nbf),
      expiresAt: epochSeconds(claims.exp),
    };
  }
}

function participantRole(value: string): ParticipantRole {
  const role = ParticipantRoles.find((r) => r === value);
  if (!role)
    refuse('malformed', `Claim "role" must be one of ${ParticipantRoles.join(', ')}; "${value}" is not`);
  return role;
}
