import { DatabaseOptions } from '@confer/database';
import { outboxEntities, outboxMigrations } from '@confer/outbox';
import { RoomEntity } from '../rooms/room.entity';
import { RoomSessionEntity } from '../rooms/room-session.entity';
import { PeerConnectionEntity } from '../presence/peer-connection.entity';
import { RoomsSchema1764200000000 } from './migrations/1764200000000-rooms-schema';
import { WaitingAndModeration1764200000001 } from './migrations/1764200000001-waiting-and-moderation';
import { WaitingEntryEntity } from '../waiting-room/waiting-entry.entity';
import { LiveRoomSettingsEntity } from '../waiting-room/live-room-settings.entity';
import { PeerMediaPermissionsEntity } from '../moderation/peer-media-permissions.entity';
import { RaisedHandEntity } from '../moderation/raised-hand.entity';
import { SubscriptionEntity } from '../coviu/subscriptions/subscription.entity';
import { SessionEntryEntity } from '../coviu/session-entries/session-entry.entity';
import { AliasEntity } from '../datagram/alias.entity';
import { SeedApis1764200000002 } from './migrations/1764200000002-seed-apis';
import { WaitingInEmptyRooms1764200000003 } from './migrations/1764200000003-waiting-in-empty-rooms';
import { PeerRoleOverrides1764200000004 } from './migrations/1764200000004-peer-role-overrides';
import { JoinFunctions1764200000005 } from './migrations/1764200000005-join-functions';
import { JoinStatePlpgsql1764200000006 } from './migrations/1764200000006-join-state-plpgsql';
import { JoinGrantKeys1764200000007 } from './migrations/1764200000007-join-grant-keys';
import { UnambiguousLiveIndexes1764200000008 } from './migrations/1764200000008-unambiguous-live-indexes';
import { AdmitJoinByKeys1764200000009 } from './migrations/1764200000009-admit-join-by-keys';

export const roomsEntities = [
  RoomEntity,
  RoomSessionEntity,
  PeerConnectionEntity,
  WaitingEntryEntity,
  LiveRoomSettingsEntity,
  PeerMediaPermissionsEntity,
  RaisedHandEntity,
  SubscriptionEntity,
  SessionEntryEntity,
  AliasEntity,
  ...outboxEntities,
];
export const roomsMigrations = [
  RoomsSchema1764200000000,
  WaitingAndModeration1764200000001,
  SeedApis1764200000002,
  WaitingInEmptyRooms1764200000003,
  PeerRoleOverrides1764200000004,
  JoinFunctions1764200000005,
  JoinStatePlpgsql1764200000006,
  JoinGrantKeys1764200000007,
  UnambiguousLiveIndexes1764200000008,
  AdmitJoinByKeys1764200000009,
  ...outboxMigrations,
];

export function roomsDatabaseOptions(url: string, schema: string): DatabaseOptions {
  return { url, schema, entities: roomsEntities, migrations: roomsMigrations };
}
