import { ParticipantRole, VerifiedParticipant } from '@confer/contracts';
import { Clock } from '../clock';
import { epochSeconds, optionalBoolean, optionalIdentifier, optionalString } from '../claims';
import { describeKey, verifyWithAnyKey, verifyWithKey, VerifiedToken } from '../jws-verification';
import { TOKEN_ALGORITHMS, TokenAlgorithm } from '../key-material';
import { OrganisationKey, ParticipantTokenKeys } from '../ports/participant-token-keys.port';
import { refuse } from '../token-refusal';
import { UntrustedToken } from '../untrusted-token';
import { ParticipantTokenForm, VerifyParticipantTokenRequest } from './participant-token-form';

/** Role claim values of room tokens and what they mean here. */
const ROOM_TOKEN_ROLES: ReadonlyMap<string, ParticipantRole> = new Map<string, ParticipantRole>([
  ['participant', 'participant'],
  ['moderator', 'moderator'],
  ['interpreter', 'interpreter'],
  ['speaker', 'speaker'],
  ['viewer', 'viewer'],
]);

/** Claims mapped to fields of the participant, or registered JWT claims; every other claim is a room attribute. */
const MAPPED_CLAIMS = new Set([
  'roomId',
  'role',
  'peerId',
  'displayName',
  'iss',
  'sub',
  'aud',
  'iat',
  'nbf',
  'exp',
  'jti',
]);

/**
 * Gcore-style room tokens: the room's URL attributes (roomId, role, peerId, displayName,
 * canRecord, waitingRoom…) signed by the organisation, either HS256 with one of its API
 * key secrets or RS256 with a public key it registered. The header `kid` names the key;
 * without one, `iss` names an API key; without either, the organisation the caller
 * names (request.orgId) is searched for a live key of the header's algorithm.
 */
export class GcoreRoomTokenForm implements ParticipantTokenForm {
  readonly form = 'gcore' as const;

  constructor(
    private readonly keys: ParticipantTokenKeys,
    private readonly clock: Clock,
  ) {}

  async verify(token: UntrustedToken, request: VerifyParticipantTokenRequest): Promise<VerifiedParticipant> {
    const { claims, key } = await this.verifySignature(token, request);

    const identity = optionalIdentifier(claims, 'peerId') ?? optionalString(claims, 'sub');
    if (identity === undefined)
      refuse('missing_claim', 'Claim "peerId" (or "sub") is required: it says who the participant is');
    const attributes = Object.fromEntries(
      Object.entries(claims).filter(([name]) => !MAPPED_CLAIMS.has(name)),
    );

    return {
      form: this.form,
      orgId: key.orgId,
      roomId: optionalIdentifier(claims, 'roomId') ?? null,
      identity,
      displayName: optionalString(claims, 'displayName'),
      role: roomTokenRole(claims),
      attributes,
      keyId: key.id,
      tokenId: optionalString(claims, 'jti'),
      notBefore: epochSeconds(claims.nbf),
      expiresAt: epochSeconds(claims.exp),
    };
  }

  private async verifySignature(
    token: UntrustedToken,
    request: VerifyParticipantTokenRequest,
  ): Promise<VerifiedToken<OrganisationKey>> {
    const options = { clock: this.clock };
    const kid = token.header.kid;
    if (kid !== undefined) {
      const key = (await this.keys.organisationPublicKey(kid)) ?? (await this.keys.apiKey(kid));
      if (!key) refuse('unknown_key', `No public key or API key "${kid}" (header "kid")`);
      return verifyWithKey(token, key, options);
    }

    const issuer = optionalString(token.payload, 'iss');
    if (issuer !== undefined) {
      const key = await this.keys.apiKey(issuer);
      if (!key) refuse('unknown_key', `No API key "${issuer}" (claim "iss")`);
      return verifyWithKey(token, key, options);
    }

    if (request.orgId === undefined) {
      refuse(
        'unknown_key',
        'The token names no key (no header "kid", no claim "iss") and the request names no organisation to look in',
      );
    }
    const algorithm = TOKEN_ALGORITHMS.find((a) => a === token.header.alg);
    if (!algorithm)
      refuse(
        'algorithm_not_allowed',
        `Room tokens are signed with HS256 or RS256, not "${String(token.header.alg)}"`,
      );
    const candidates = await this.liveKeysOf(request.orgId, algorithm);
    if (candidates.length === 0)
      refuse('unknown_key', `Organisation ${request.orgId} has no live ${algorithm} key`);
    return verifyWithAnyKey(token, candidates, {
      ...options,
      describeCandidates: `the ${candidates.length} live ${algorithm} key(s) of organisation ${request.orgId} (${candidates.map(describeKey).join(', ')})`,
    });
  }

  private liveKeysOf(orgId: string, algorithm: TokenAlgorithm): Promise<OrganisationKey[]> {
    return algorithm === 'RS256'
      ? this.keys.organisationPublicKeys(orgId)
      : this.keys.apiKeysOfOrganisation(orgId);
  }
}

/**
 * `role` wins when it names a privileged role; otherwise webinar tokens say through
 * `itisparticipant` whether the attendee may speak (speaker) or only watch (viewer).
 */
function roomTokenRole(claims: Record<string, unknown>): ParticipantRole {
  const named = optionalString(claims, 'role');
  const webinarParticipant = optionalBoolean(claims, 'itisparticipant');
  if (named !== undefined) {
    const role = ROOM_TOKEN_ROLES.get(named);
    if (!role)
      refuse(
        'malformed',
        `Claim "role" must be one of ${[...ROOM_TOKEN_ROLES.keys()].join(', ')}; "${named}" is not a known role`,
      );
    if (role !== 'participant') return role;
  }
  if (webinarParticipant !== undefined) return webinarParticipant ? 'speaker' : 'viewer';
  return 'participant';
}
