import { ModeratingRoles, type ParticipantRole } from '@confer/contracts';
import type { EffectiveAttributes } from './effective-attributes';

export interface Permissions {
  publishAudio: boolean;
  publishVideo: boolean;
  shareScreen: boolean;
  subscribe: boolean;
  chat: boolean;
  raiseHand: boolean;
  moderate: boolean;
  record: boolean;
}

export const isModerating = (role: ParticipantRole) => ModeratingRoles.includes(role);
/** Everyone but a webinar viewer may send media, and so counts against maxBroadcasters. */
export const isBroadcaster = (role: ParticipantRole) => role !== 'viewer';

/**
 * The role a joiner gets: the token's when it names one; on the webinar page
 * without one, speaker or viewer by `itisparticipant` (viewer by default); else a
 * plain participant.
 */
export function resolveRole(
  face: 'call' | 'webinar',
  tokenRole: ParticipantRole | undefined,
  attributes: EffectiveAttributes,
): ParticipantRole {
  if (tokenRole && tokenRole !== 'participant') return tokenRole;
  if (face === 'webinar') return attributes.itisparticipant === true ? 'speaker' : 'viewer';
  return tokenRole ?? 'participant';
}

export function permissionsOf(role: ParticipantRole, attributes: EffectiveAttributes): Permissions {
  const moderate = isModerating(role);
  const sends = isBroadcaster(role);
  return {
    publishAudio: sends,
    publishVideo: sends,
    shareScreen: sends,
    subscribe: true,
    chat: attributes.disableChat !== true,
    raiseHand: attributes.handEnabled === true && !moderate,
    moderate,
    record: moderate && attributes.canRecord === true,
  };
}
