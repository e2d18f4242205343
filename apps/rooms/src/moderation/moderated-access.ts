import type { ParticipantRole } from '@confer/contracts';
import type { EffectiveAttributes } from '../joins/effective-attributes';
import { Permissions, permissionsOf } from '../joins/roles';
import { MediaPermissionOverrides, withOverrides } from './media-permissions';

/**
 * The role and permissions a joiner enters with, after what moderators decided for its
 * peer id in this life of the room: a moderator's choice outlives the connection it was
 * made on (a role given, a forbidden screen share), so a reconnection keeps it.
 */
export function moderatedAccess(
  role: ParticipantRole,
  attributes: EffectiveAttributes,
  moderated: { role: ParticipantRole | null; permissions: MediaPermissionOverrides },
): { role: ParticipantRole; permissions: Permissions } {
  const admittedRole = moderated.role ?? role;
  return {
    role: admittedRole,
    permissions: withOverrides(permissionsOf(admittedRole, attributes), moderated.permissions),
  };
}
