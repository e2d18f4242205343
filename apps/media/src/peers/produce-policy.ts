import type { MediaKind, MediaSource } from '@confer/contracts';
import type { GrantPermissions } from '../grants/join-grant';

const KIND_OF_SOURCE: Record<MediaSource, MediaKind> = {
  microphone: 'audio',
  camera: 'video',
  screen: 'video',
  screenAudio: 'audio',
};
const PERMISSION_OF_SOURCE: Record<MediaSource, keyof GrantPermissions> = {
  microphone: 'publishAudio',
  camera: 'publishVideo',
  screen: 'shareScreen',
  screenAudio: 'shareScreen',
};

/** Why a peer may not produce this kind from this source, or null when it may. */
export function refuseToProduce(
  perms: GrantPermissions,
  kind: MediaKind,
  source: MediaSource,
): string | null {
  if (KIND_OF_SOURCE[source] !== kind)
    return `a ${source} producer carries ${KIND_OF_SOURCE[source]}, not ${kind}`;
  const permission = PERMISSION_OF_SOURCE[source];
  if (perms[permission] !== true) return `your role may not publish ${source} (${permission} is not granted)`;
  return null;
}

/** Which permission a source needs. */
export const permissionOfSource = (source: MediaSource): keyof GrantPermissions =>
  PERMISSION_OF_SOURCE[source];

/** Roles that send nothing (a webinar viewer). */
const SILENT_ROLES = new Set(['viewer']);

/**
 * What a role may publish, narrowed from the grant's permissions: an interpreter speaks
 * on its language channel but never turns a camera on (as the Gcore document says).
 */
export function restrictByRole(peer: { role: string; permissions: GrantPermissions }): void {
  if (peer.role === 'interpreter') peer.permissions.publishVideo = false;
}

/**
 * The permissions after a moderator changed the peer's role: a viewer sends nothing; a
 * role that sends gets the publish permissions back unless a moderator forbade sharing.
 */
export function permissionsForRole(
  role: string,
  current: GrantPermissions,
  screenShareForbidden: boolean,
): GrantPermissions {
  const sends = !SILENT_ROLES.has(role);
  const next = {
    ...current,
    publishAudio: sends,
    publishVideo: sends && role !== 'interpreter',
    shareScreen: sends && !screenShareForbidden,
    // Recording is a moderator's (with canRecord, which only the grant knows): a peer no
    // longer moderating loses it, and one made moderator does not gain it here.
    ...(current.record !== undefined ? { record: current.record && role === 'moderator' } : {}),
  };
  return next;
}

/**
 * Whether a grant carries a moderator's ban on screen sharing: the rooms service signs a
 * banned peer's later grants with `shareScreen: false`, and for a role that would share
 * anyway only the ban explains it. Kept as such, so a later role change does not grant
 * sharing again.
 */
export const grantForbidsScreenShare = (role: string, perms: GrantPermissions): boolean =>
  perms.shareScreen === false && permissionsForRole(role, perms, false).shareScreen;
