import {
  buildEvent,
  HandLowered,
  HandRaised,
  ModerationApplied,
  ParticipantRole,
  PeerRoleChanged,
} from '@confer/contracts';
import type { RoomSessionEntity } from '../rooms/room-session.entity';
import type { ModerationAction } from './media-permissions';

const SOURCE = '/confer/rooms';

const envelope = (session: RoomSessionEntity, subject: string) => ({
  source: SOURCE,
  orgId: session.orgId,
  roomId: session.roomId,
  subject,
});
const roomRef = (session: RoomSessionEntity) => ({
  roomId: session.roomId,
  conferenceNumber: session.conferenceNumber,
});

export function moderationAppliedEvent(
  session: RoomSessionEntity,
  action: ModerationAction,
  by: string,
  targetPeerId?: string,
) {
  return buildEvent(ModerationApplied, {
    ...envelope(
      session,
      targetPeerId ? `rooms/${session.roomId}/peers/${targetPeerId}` : `rooms/${session.roomId}`,
    ),
    data: { ...roomRef(session), action, ...(targetPeerId ? { targetPeerId } : {}), by },
  });
}

export function handRaisedEvent(session: RoomSessionEntity, peerId: string) {
  return buildEvent(HandRaised, {
    ...envelope(session, `rooms/${session.roomId}/peers/${peerId}`),
    data: { ...roomRef(session), peerId },
  });
}

export function handLoweredEvent(session: RoomSessionEntity, peerId: string, by: string) {
  return buildEvent(HandLowered, {
    ...envelope(session, `rooms/${session.roomId}/peers/${peerId}`),
    data: { ...roomRef(session), peerId, by },
  });
}

export function peerRoleChangedEvent(
  session: RoomSessionEntity,
  peerId: string,
  from: ParticipantRole,
  to: ParticipantRole,
  by: string,
  connectionId: string,
) {
  return buildEvent(PeerRoleChanged, {
    ...envelope(session, `rooms/${session.roomId}/peers/${peerId}`),
    // The connection lets readers place the change in its exact session, not by peer and time.
    data: { ...roomRef(session), peerId, connectionId, from, to, by },
  });
}
