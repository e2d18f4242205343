import { VerifiedParticipant } from '@confer/contracts';
import { Clock } from '../clock';
import {
  epochSeconds,
  keyIdentifier,
  optionalBoolean,
  optionalIdentifier,
  optionalNumber,
  requiredString,
} from '../claims';
import { CLOCK_TOLERANCE_SECONDS } from '../participant-token.constants';
import { verifyWithKey } from '../jws-verification';
import { ParticipantTokenKeys } from '../ports/participant-token-keys.port';
import { refuse } from '../token-refusal';
import { UntrustedToken } from '../untrusted-token';
import { ParticipantTokenForm } from './participant-token-form';

/**
 * Datagram-style alias tokens: HS256 with the alias's own jwt_secret; `alias` names the
 * alias (and so the room it opens), `user_id` the participant, `host` their privilege,
 * `expires_in` the lifetime in seconds from issuance.
 *
 * How long a token lives: never past the alias's own expiry (`expired_at`), never past
 * a standard `exp`, and, when the token says when it was issued (`iat`), never past
 * `iat + expires_in`. The document's own example carries `expires_in` but no `iat`;
 * without an issuance time `expires_in` cannot be counted from anything we can trust,
 * so such a token is accepted and bounded by `exp` if it has one and by the alias's
 * expiry in any case (the same as a token that says nothing of its lifetime).
 */
export class DatagramAliasTokenForm implements ParticipantTokenForm {
  readonly form = 'datagram' as const;

  constructor(
    private readonly keys: ParticipantTokenKeys,
    private readonly clock: Clock,
  ) {}

  static recognises(token: UntrustedToken): boolean {
    return token.payload['alias'] !== undefined;
  }

  async verify(token: UntrustedToken): Promise<VerifiedParticipant> {
    const aliasId = keyIdentifier(
      requiredString(token.payload, 'alias', 'it names the alias whose secret signed the token'),
      'Claim "alias"',
    );
    const alias = await this.keys.aliasCredential(aliasId);
    if (!alias) refuse('unknown_key', `No alias "${aliasId}" (claim "alias")`);
    const now = this.clock.nowSeconds();
    if (alias.expiresAt <= now) {
      refuse('expired', `Alias ${alias.id} expired at ${new Date(alias.expiresAt * 1000).toISOString()}`);
    }
    const { claims } = await verifyWithKey(token, alias, { clock: this.clock });

    const userId = optionalIdentifier(claims, 'user_id');
    if (userId === undefined)
      refuse('missing_claim', 'Claim "user_id" is required: it says who the participant is');
    const bounds: Array<[number, string]> = [
      [alias.expiresAt, `the expiry of alias ${alias.id}`],
      [claims.exp ?? Infinity, 'claim "exp"'],
      [this.expiryFromExpiresIn(claims), 'claim "expires_in" counted from "iat"'],
    ];
    const [expiresAt, boundBy] = bounds.reduce((first, bound) => (bound[0] < first[0] ? bound : first));
    if (expiresAt + CLOCK_TOLERANCE_SECONDS < now) {
      refuse('expired', `The token expired at ${new Date(expiresAt * 1000).toISOString()} (${boundBy})`);
    }

    return {
      form: this.form,
      orgId: alias.orgId,
      roomId: alias.roomId,
      identity: userId,
      role: optionalBoolean(claims, 'host') ? 'host' : 'participant',
      attributes: { alias: alias.id },
      keyId: alias.id,
      notBefore: epochSeconds(claims.nbf),
      expiresAt: epochSeconds(expiresAt),
    };
  }

  /** `iat + expires_in`; Infinity when the token has no `expires_in`, or no `iat` to count it from. */
  private expiryFromExpiresIn(claims: Record<string, unknown>): number {
    const expiresIn = optionalNumber(claims, 'expires_in');
    if (expiresIn === undefined) return Infinity;
    if (expiresIn < 0) refuse('malformed', 'Claim "expires_in" must not be negative');
    const issuedAt = optionalNumber(claims, 'iat');
    return issuedAt === undefined ? Infinity : issuedAt + expiresIn;
  }
}
