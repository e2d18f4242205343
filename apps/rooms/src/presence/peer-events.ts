import { buildEvent, PeerJoined, PeerLeft } from '@confer/contracts';
import { RoomSessionEntity } from '../rooms/room-session.entity';
import { LeaveReason, PeerConnectionEntity } from './peer-connection.entity';

const SOURCE = '/confer/rooms';

function peerRef(connection: PeerConnectionEntity, session: RoomSessionEntity) {
  return {
    roomId: connection.roomId,
    conferenceNumber: session.conferenceNumber,
    peerId: connection.peerId,
    connectionId: connection.connectionId,
    ...(connection.displayName ? { displayName: connection.displayName } : {}),
    role: connection.role,
    face: connection.face,
    joinedAt: connection.joinedAt.toISOString(),
    ...(connection.callbacks ? { callbacks: connection.callbacks } : {}),
  };
}

/** The event id is derived from the connection, so a retried transaction cannot announce twice. */
export function peerJoinedEvent(connection: PeerConnectionEntity, session: RoomSessionEntity) {
  return buildEvent(PeerJoined, {
    source: SOURCE,
    orgId: connection.orgId,
    roomId: connection.roomId,
    id: `peer.joined:${connection.connectionId}`,
    subject: `rooms/${connection.roomId}/peers/${connection.peerId}`,
    data: peerRef(connection, session),
  });
}

export function peerLeftEvent(
  connection: PeerConnectionEntity,
  session: RoomSessionEntity,
  reason: LeaveReason,
  leftAt: Date,
) {
  return buildEvent(PeerLeft, {
    source: SOURCE,
    orgId: connection.orgId,
    roomId: connection.roomId,
    id: `peer.left:${connection.connectionId}`,
    subject: `rooms/${connection.roomId}/peers/${connection.peerId}`,
    data: { ...peerRef(connection, session), leftAt: leftAt.toISOString(), reason },
  });
}
