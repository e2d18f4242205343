import { DatabaseOptions } from '@confer/database';
import { outboxEntities, outboxMigrations } from '@confer/outbox';
import { RoomEntity } from '../rooms/room.entity';
import { RoomSessionEntity } from '../rooms/room-session.entity';
import { PeerConnectionEntity } from '../presence/peer-connection.entity';
import { RoomsSchema1764200000000 } from './migrations/1764200000000-rooms-schema';

export const roomsEntities = [RoomEntity, RoomSessionEntity, PeerConnectionEntity, ...outboxEntities];
export const roomsMigrations = [RoomsSchema1764200000000, ...outboxMigrations];

export function roomsDatabaseOptions(url: string, schema: string): DatabaseOptions {
  return { url, schema, entities: roomsEntities, migrations: roomsMigrations };
}
