import { VerifiedParticipant } from '@confer/contracts';
import { Clock } from '../clock';
import {
  definedEntries,
  epochSeconds,
  keyIdentifier,
  optionalString,
  requiredIdentifier,
  requiredString,
} from '../claims';
import { verifyWithKey } from '../jws-verification';
import { ParticipantTokenKeys } from '../ports/participant-token-keys.port';
import { refuse } from '../token-refusal';
import { UntrustedToken } from '../untrusted-token';
import { ParticipantTokenForm } from './participant-token-form';

const SESSION_ROLES = ['owner', 'guest'] as const;
type SessionRole = (typeof SESSION_ROLES)[number];

/**
 * Coviu-style session links: HS256 signed with an API key secret, `iss` = that API key,
 * `sid` = the session (our room), `rle` = owner | guest.
 */
export class CoviuSessionTokenForm implements ParticipantTokenForm {
  readonly form = 'coviu' as const;

  constructor(
    private readonly keys: ParticipantTokenKeys,
    private readonly clock: Clock,
  ) {}

  /**
   * `sid` and `rle` together mark a session link; either one alone is still taken as a
   * (broken) session link, so the refusal can name the missing claim instead of
   * misreading it as a room token.
   */
  static recognises(token: UntrustedToken): boolean {
    return token.payload['sid'] !== undefined || token.payload['rle'] !== undefined;
  }

  async verify(token: UntrustedToken): Promise<VerifiedParticipant> {
    const apiKeyId = keyIdentifier(
      requiredString(token.payload, 'iss', 'a session token names the API key that signed it'),
      'Claim "iss"',
    );
    const key = await this.keys.apiKey(apiKeyId);
    if (!key) refuse('unknown_key', `No API key "${apiKeyId}" (claim "iss")`);
    const { claims } = await verifyWithKey(token, key, { clock: this.clock });

    const userName = requiredIdentifier(claims, 'un', 'the user name shown in the call');
    const sessionId = requiredIdentifier(claims, 'sid', 'the session the link opens');
    const role = sessionRole(requiredString(claims, 'rle', 'owner or guest'));
    const ref = optionalString(claims, 'ref');
    // The owner is the subscription holder, known by the integrator's reference; guests are known by name.
    const identity =
      role === 'owner'
        ? requiredIdentifier(claims, 'ref', "an owner's link carries the subscription reference")
        : userName;

    return {
      form: this.form,
      orgId: key.orgId,
      roomId: sessionId,
      identity,
      displayName: userName,
      role,
      attributes: definedEntries({
        ref,
        email: optionalString(claims, 'email'),
        img: optionalString(claims, 'img'),
        rtn: optionalString(claims, 'rtn'),
      }),
      keyId: key.id,
      notBefore: epochSeconds(claims.nbf),
      expiresAt: epochSeconds(claims.exp),
    };
  }
}

function sessionRole(value: string): SessionRole {
  const role = SESSION_ROLES.find((r) => r === value);
  if (!role) refuse('malformed', `Claim "rle" must be "owner" or "guest", not "${value}"`);
  return role;
}
