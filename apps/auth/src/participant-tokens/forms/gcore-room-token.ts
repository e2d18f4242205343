import { ParticipantRole, VerifiedParticipant } from '@confer/contracts';
import { Clock } from '../clock';
import {
  epochSeconds,
  keyIdentifier,
  optionalBoolean,
  optionalIdentifier,
  optionalString,
  optionalStringIdentifier,
} from '../claims';
import { isIdentifier } from '../identifiers';
import { describeKey, verifyWithAnyKey, verifyWithKey, VerifiedToken } from '../jws-verification';
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
 * key secrets or RS256 with a public key it registered.
 *
 * Which key: the header `kid` names it when present. Without one, the header `alg`
 * decides where to look, since `iss` in these tokens is the integrator's own free text
 * (e.g. "my-app") as often as an API key id:
 * - HS256: the API key `iss` names, if it names one; otherwise the live API keys of the
 *   organisation the caller names (request.orgId);
 * - RS256: the live public keys of the organisation the caller names.
 *
 * `peerId` is a URL attribute a token MAY set, not a required claim: the identity is
 * the token's `peerId` (or `sub`), else the joiner's own peerId URL attribute
 * (request.peerId), since values in the token win over the URL; else none, and the
 * rooms service makes one up.
 */
export class GcoreRoomTokenForm implements ParticipantTokenForm {
  readonly form = 'gcore' as const;

  constructor(
    private readonly keys: ParticipantTokenKeys,
    private readonly clock: Clock,
  ) {}

  async verify(token: UntrustedToken, request: VerifyParticipantTokenRequest): Promise<VerifiedParticipant> {
    const { claims, key } = await this.verifySignature(token, request);

    const identity =
      optionalIdentifier(claims, 'peerId') ?? optionalStringIdentifier(claims, 'sub') ?? request.peerId;
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
    if (token.header.kid !== undefined) {
      const kid = keyIdentifier(token.header.kid, 'Header "kid"');
      const key = (await this.keys.organisationPublicKey(kid)) ?? (await this.keys.apiKey(kid));
      if (!key) refuse('unknown_key', `No public key or API key "${kid}" (header "kid")`);
      return verifyWithKey(token, key, options);
    }

    if (token.header.alg === 'HS256') {
      const issuer = optionalString(token.payload, 'iss');
      // An `iss` that could not be a key id is the integrator's own label, not a lookup.
      const named = issuer !== undefined && isIdentifier(issuer) ? await this.keys.apiKey(issuer) : undefined;
      if (named) return verifyWithKey(token, named, options);
      const orgId = this.organisationToSearch(
        request,
        issuer === undefined
          ? 'an HS256 room token without header "kid" or claim "iss"'
          : 'an HS256 room token whose claim "iss" names no API key and which has no header "kid"',
      );
      return this.verifyWithLiveKeys(token, await this.keys.apiKeysOfOrganisation(orgId), orgId, 'HS256');
    }

    const orgId = this.organisationToSearch(request, 'an RS256 room token without header "kid"');
    return this.verifyWithLiveKeys(token, await this.keys.organisationPublicKeys(orgId), orgId, 'RS256');
  }

  private organisationToSearch(request: VerifyParticipantTokenRequest, what: string): string {
    if (request.orgId === undefined) {
      refuse(
        'unknown_key',
        `For ${what}, the request must name the organisation (orgId) whose keys are tried; it names none`,
      );
    }
    return request.orgId;
  }

  private verifyWithLiveKeys(
    token: UntrustedToken,
    candidates: OrganisationKey[],
    orgId: string,
    algorithm: 'HS256' | 'RS256',
  ): Promise<VerifiedToken<OrganisationKey>> {
    if (candidates.length === 0) refuse('unknown_key', `Organisation ${orgId} has no live ${algorithm} key`);
    return verifyWithAnyKey(token, candidates, {
      clock: this.clock,
      describeCandidates: `the ${candidates.length} live ${algorithm} key(s) of organisation ${orgId} (${candidates.map(describeKey).join(', ')})`,
    });
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
