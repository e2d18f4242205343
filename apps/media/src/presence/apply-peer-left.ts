import type { EventDataOf, PeerLeft } from '@confer/contracts';
import type { Room } from '../rooms/room';

/**
 * The rooms service took a connection out (kicked, replaced, timed out, room closed):
 * if this server still carries that very connection, its media stops at once and the
 * client is told why before its socket closes. A newer connection of the same peer id
 * is left alone.
 */
export function applyPeerLeft(
  room: Room,
  { peerId, connectionId, reason }: EventDataOf<typeof PeerLeft>,
): void {
  const peer = room.peer(peerId);
  if (!peer || peer.closed || peer.grant.connection !== connectionId) return;
  peer.notify('sessionClosed', { reason });
  peer.close(reason);
}
