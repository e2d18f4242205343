import { EntityManager, IsNull } from 'typeorm';
import { RoomErrors } from '../rooms.errors';
import { PeerConnectionEntity } from '../presence/peer-connection.entity';
import { RoomSessionEntity } from '../rooms/room-session.entity';
import { Permissions, permissionsOf } from '../joins/roles';
import { EffectiveAttributes } from '../joins/effective-attributes';

/** A peer acted upon: its live connection, the room's live session, and what its role allows. */
export interface ModerationTarget {
  connection: PeerConnectionEntity;
  session: RoomSessionEntity;
  base: Permissions;
}

/** Inside the caller's transaction, after lockRoom. */
export async function liveTarget(
  tx: EntityManager,
  orgId: string,
  roomId: string,
  peerId: string,
): Promise<ModerationTarget> {
  const connection = await tx
    .getRepository(PeerConnectionEntity)
    .findOneBy({ orgId, roomId, peerId, leftAt: IsNull() });
  if (!connection) throw RoomErrors.peerNotFound({ roomId, peerId });
  const session = await tx.getRepository(RoomSessionEntity).findOneByOrFail({ id: connection.sessionId });
  return {
    connection,
    session,
    base: permissionsOf(connection.role, connection.attributes as EffectiveAttributes),
  };
}

/** The room's live session, or the catalogued refusal when nobody is in it. */
export async function liveSessionOrFail(
  tx: EntityManager,
  orgId: string,
  roomId: string,
): Promise<RoomSessionEntity> {
  const session = await tx.getRepository(RoomSessionEntity).findOneBy({ orgId, roomId, endedAt: IsNull() });
  if (!session) throw RoomErrors.roomNotLive({ roomId });
  return session;
}
