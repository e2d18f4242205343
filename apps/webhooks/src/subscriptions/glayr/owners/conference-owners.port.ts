import type { ParticipantRole } from '@confer/contracts';

/**
 * Someone who runs a conference: a verified participant token (any form Confer accepts)
 * that names the conference's room with a moderating role (Gcore's moderator, Coviu's
 * session owner, Datagram's host). Glayr lets "one of the owners of the conference"
 * subscribe to its events as well as the organisation's client credentials.
 */
export interface ConferenceOwner {
  orgId: string;
  roomId: string;
  identity?: string;
  role: ParticipantRole;
}

/** Why a token that is a valid participant token still does not make its bearer an owner. */
export type OwnerRefusal = 'not_moderating' | 'no_room';

export type OwnerCheck =
  | { kind: 'owner'; owner: ConferenceOwner }
  | { kind: 'refused'; reason: OwnerRefusal }
  /** Not a participant token Confer accepts (expired, forged, unknown key, …). */
  | { kind: 'invalid' };

export interface ConferenceOwners {
  check(token: string): Promise<OwnerCheck>;
}

export const CONFERENCE_OWNERS = Symbol('CONFERENCE_OWNERS');

export const MODERATING_ROLES: readonly ParticipantRole[] = ['moderator', 'owner', 'host'];
