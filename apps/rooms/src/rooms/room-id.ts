import { RoomErrors } from '../rooms.errors';

export const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export function assertRoomId(roomId: string): void {
  if (!ROOM_ID_PATTERN.test(roomId)) {
    throw RoomErrors.invalidRoomId(
      { field: 'roomId' },
      { message: `"${roomId.slice(0, 64)}" is not a valid room id: ${RoomErrors.invalidRoomId.message}` },
    );
  }
}
