import { EntityManager } from 'typeorm';
import { buildEvent, RoomSettingsChanged } from '@confer/contracts';
import { RoomEntity } from '../rooms/room.entity';
import { RoomSessionEntity } from '../rooms/room-session.entity';
import { publicSettings } from '../rooms/prepare-room/prepare-room.service';

/** The room's settings as they now hold for the live room: prepared ones, with the moderator's waiting room. */
export async function roomSettingsChangedEvent(
  tx: EntityManager,
  session: RoomSessionEntity,
  waitingRoom: boolean,
  by: string,
) {
  const room = await tx.getRepository(RoomEntity).findOneBy({ orgId: session.orgId, roomId: session.roomId });
  return buildEvent(RoomSettingsChanged, {
    source: '/confer/rooms',
    orgId: session.orgId,
    roomId: session.roomId,
    subject: `rooms/${session.roomId}`,
    data: {
      roomId: session.roomId,
      conferenceNumber: session.conferenceNumber,
      settings: { ...publicSettings(room?.settings ?? {}), waitingRoom },
      by,
    },
  });
}
