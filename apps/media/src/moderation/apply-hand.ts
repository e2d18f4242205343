import type { EventDataOf, HandLowered, HandRaised } from '@confer/contracts';
import type { Room } from '../rooms/room';

/**
 * The rooms service recorded a raised hand: every peer of the room hears it (the raiser
 * too, so its other views agree), and peers joining later find it in the peers list.
 * A hand of a peer not on this server is nothing to do here.
 */
export function applyHandRaised(room: Room, { peerId }: EventDataOf<typeof HandRaised>): void {
  const peer = room.peer(peerId);
  if (!peer || peer.closed) return;
  peer.handRaised = true;
  room.broadcast('handRaised', { peerId });
}

/** A hand was lowered, by its owner or a moderator (`by`). */
export function applyHandLowered(room: Room, { peerId, by }: EventDataOf<typeof HandLowered>): void {
  const peer = room.peer(peerId);
  if (!peer || peer.closed) return;
  peer.handRaised = false;
  room.broadcast('handLowered', { peerId, by });
}
