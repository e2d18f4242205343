import { RecorderPeer, RecorderRoster } from '@confer/contracts';

/** A peer drawn on the composite: a camera tile, or its name card when it sends no camera. */
export interface DrawnPeer {
  peerId: string;
  name: string;
  /** The live (unpaused) camera, if any. */
  cameraProducerId?: string;
}

export interface DrawnShare {
  peerId: string;
  name: string;
  producerId: string;
}

/** What of a room a regular viewer sees and hears. */
export interface DrawnRoom {
  peers: DrawnPeer[];
  shares: DrawnShare[];
  /** Microphones and shared-screen audio, mixed. */
  audioProducerIds: string[];
}

/** Webinar viewers watch; a recording shows the people on stage only. */
const UNDRAWN_ROLES = new Set(['viewer']);

export function peerName(peer: Pick<RecorderPeer, 'peerId' | 'displayName'>): string {
  return peer.displayName?.trim() || peer.peerId;
}

/** Reads a roster as a viewer would: paused producers are off, viewers are absent. */
export function drawnRoom(roster: RecorderRoster): DrawnRoom {
  const room: DrawnRoom = { peers: [], shares: [], audioProducerIds: [] };
  for (const peer of roster.peers) {
    if (UNDRAWN_ROLES.has(peer.role)) continue;
    const name = peerName(peer);
    const live = peer.producers.filter((p) => !p.paused);
    const camera = live.find((p) => p.kind === 'video' && p.source === 'camera');
    room.peers.push({ peerId: peer.peerId, name, cameraProducerId: camera?.producerId });
    for (const p of live) {
      if (p.kind === 'video' && p.source === 'screen') {
        room.shares.push({ peerId: peer.peerId, name, producerId: p.producerId });
      } else if (p.kind === 'audio' && (p.source === 'microphone' || p.source === 'screenAudio')) {
        room.audioProducerIds.push(p.producerId);
      }
    }
  }
  return room;
}
