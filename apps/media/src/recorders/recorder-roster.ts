import type { RecorderPeer, SignalingNotification } from '@confer/contracts';
import type { Room } from '../rooms/room';

/**
 * The notifications that change what a recorder draws: who is there, under which name
 * and role, what they send and whether it flows, and who speaks. Chat, hands, levels
 * and the like are not drawn, so they send no roster.
 */
export const ROSTER_NOTIFICATIONS: ReadonlySet<SignalingNotification> = new Set<SignalingNotification>([
  'peerJoined',
  'peerLeft',
  'peerRoleChanged',
  'producerAdded',
  'producerClosed',
  'producerPaused',
  'producerResumed',
  'activeSpeaker',
]);

/**
 * The room's peers as a recorder sees them. Interpreters' language channels are left
 * out: a recording carries the room's original voices, never a translation over them.
 */
export function rosterPeersOf(room: Room): { peers: RecorderPeer[]; activeSpeakerPeerId?: string } {
  const peers = room.peers
    .filter((peer) => !peer.closed)
    .map((peer) => ({
      peerId: peer.id,
      ...(peer.displayName ? { displayName: peer.displayName } : {}),
      role: peer.role,
      producers: peer.producers
        .filter((producer) => !producer.closed && !producer.appData.language)
        .map((producer) => ({
          producerId: producer.id,
          kind: producer.kind,
          source: producer.appData.source,
          paused: producer.paused,
        })),
    }));
  const speaker = room.activeSpeaker?.peerId;
  return { peers, ...(speaker ? { activeSpeakerPeerId: speaker } : {}) };
}
