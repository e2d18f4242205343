import type { EventDataOf, ModerationApplied, PeerRoleChanged } from '@confer/contracts';
import type { Peer } from '../peers/peer';
import { permissionOfSource, permissionsForRole } from '../peers/produce-policy';
import type { Room } from '../rooms/room';
import { closeProducers } from './close-producers';

type Moderation = EventDataOf<typeof ModerationApplied>;
type RoleChange = EventDataOf<typeof PeerRoleChanged>;

/** Roles that run the room keep their own media when a moderator turns everyone's off. */
const MODERATING = new Set(['moderator', 'owner', 'host']);

const sayPermissions = (peer: Peer) =>
  peer.notify('permissionsChanged', { role: peer.role, permissions: { ...peer.permissions } });

/**
 * A moderator's action, decided by the rooms service, carried out on the media: a
 * microphone or camera turned off is closed on the server (the peer may turn it on
 * again, as in the Gcore room), screen sharing forbidden closes the screen producers
 * and refuses new ones until allowed again. Every peer hears of the action.
 */
export function applyModeration(room: Room, { action, targetPeerId, by }: Moderation): void {
  room.broadcast('moderation', { action, ...(targetPeerId ? { targetPeerId } : {}), by });
  const target = targetPeerId ? room.peer(targetPeerId) : undefined;
  switch (action) {
    case 'disable_audio':
      if (target) closeProducers(target, ['microphone'], 'moderator', by);
      return;
    case 'disable_video':
      if (target) closeProducers(target, ['camera'], 'moderator', by);
      return;
    case 'disable_all_audio':
    case 'disable_all_video':
      for (const peer of room.peers) {
        if (peer.id === by || MODERATING.has(peer.role)) continue;
        closeProducers(peer, action === 'disable_all_audio' ? ['microphone'] : ['camera'], 'moderator', by);
      }
      return;
    case 'forbid_screen_share':
      if (!target) return;
      target.screenShareForbidden = true;
      target.permissions.shareScreen = false;
      closeProducers(target, ['screen', 'screenAudio'], 'permission', by);
      sayPermissions(target);
      return;
    case 'allow_screen_share':
      if (!target) return;
      target.screenShareForbidden = false;
      target.permissions.shareScreen = permissionsForRole(target.role, target.permissions, false).shareScreen;
      sayPermissions(target);
      return;
    default:
      // Requests (request_audio, …), hands and removals: the notification above, or the peer.left that follows.
      return;
  }
}

/** A role change: a peer that may no longer publish something stops publishing it now. */
export function applyRoleChange(room: Room, { peerId, to }: RoleChange): void {
  const peer = room.peer(peerId);
  if (!peer) return;
  peer.role = to;
  Object.assign(peer.permissions, permissionsForRole(to, peer.permissions, peer.screenShareForbidden));
  const forbidden = (['microphone', 'camera', 'screen', 'screenAudio'] as const).filter(
    (source) => !peer.permissions[permissionOfSource(source)],
  );
  closeProducers(peer, forbidden, 'role');
  sayPermissions(peer);
  room.broadcast('peerRoleChanged', { peerId, role: to }, peer);
}
