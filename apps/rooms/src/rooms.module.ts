import { DynamicModule, Global, Module } from '@nestjs/common';
import { BusModule } from '@confer/bus';
import { DatabaseModule } from '@confer/database';
import { HttpLifecycleModule } from '@confer/http';
import { OutboxModule } from '@confer/outbox';
import { TelemetryModule } from '@confer/telemetry';
import { ServerApiAccessModule } from '@confer/auth-client';
import { issuerOf, ROOMS_CONFIG, RoomsConfig } from './config/rooms.config';
import { roomsDatabaseOptions } from './database/rooms-database';
import { MediaServers } from './media-servers/media-servers';
import { MediaNodeRegistry } from './media-servers/placement/media-node-registry';
import { MediaPlacementService } from './media-servers/placement/media-placement.service';
import { MediaServersHttpController } from './media-servers/media-servers.http.controller';
import { LiveRooms } from './rooms/live-rooms';
import { PrepareRoom } from './rooms/prepare-room/prepare-room.service';
import { GetRoom } from './rooms/get-room/get-room.service';
import { RoomsHttpController } from './rooms/rooms.http.controller';
import { PeerDepartures } from './presence/peer-departures';
import { Presence } from './presence/presence.service';
import { PresenceSweeper } from './presence/presence-sweeper';
import { LivePeers } from './presence/live-peers.service';
import { PresenceHttpController } from './presence/presence.http.controller';
import { DecideJoin } from './joins/decide-join.service';
import { JoinHttpController } from './joins/join.http.controller';
import { ParticipantTokensClient } from './joins/participant-tokens.client';
import { JoinGrantSigner } from './joins/grant-keys/join-grant-signer';
import { JoinGrantKeys } from './joins/grant-keys/join-grant-keys';
import { JoinGrantKeysHttpController } from './joins/grant-keys/join-grant-keys.http.controller';
import { JoinRefusalsPublisher } from './joins/join-refusals.publisher';
import { AccessCheckClient, OUTBOUND_GUARD } from './joins/access-check/access-check.client';
import { OutboundGuard } from '@confer/outbound';
import { JOIN_HOOKS, JoinHook } from './joins/join-hooks';
import { JoinStateStore } from './joins/join-state/join-state.store';
import { ActorCredentialsGuard, ModerationActors } from './moderation/moderation-actor';
import { PeerModerationState } from './moderation/peer-moderation-state';
import { ModeratePeer } from './moderation/moderate-peer/moderate-peer.service';
import { ModerateRoom } from './moderation/moderate-room/moderate-room.service';
import { ChangeRole } from './moderation/change-role/change-role.service';
import { Hands } from './moderation/hands/hands.service';
import { ModeratedPeers } from './moderation/moderated-peers/moderated-peers.service';
import { ModerationHttpController } from './moderation/moderation.http.controller';
import { WaitingEntries } from './waiting-room/waiting-entries';
import { DecideWaiting } from './waiting-room/decide-waiting/decide-waiting.service';
import { SwitchWaitingRoom } from './waiting-room/switch-waiting-room/switch-waiting-room.service';
import { WatchWaiting } from './waiting-room/watch-waiting/watch-waiting.service';
import { WaitingRoomHttpController } from './waiting-room/waiting-room.http.controller';
import { WaitingRoomJoinHook } from './waiting-room/waiting-room.join-hook';
import { GcoreRoomApi } from './gcore-api/gcore-room-api.service';
import { GcoreRoomApiHttpController } from './gcore-api/gcore-room-api.http.controller';
import { Subscriptions } from './coviu/subscriptions/subscriptions.service';
import { SubscriptionRule } from './coviu/subscriptions/subscription-rule';
import { SubscriptionsHttpController } from './coviu/subscriptions/subscriptions.http.controller';
import { OwnerSubscriptionJoinHook } from './coviu/subscriptions/owner-subscription.join-hook';
import { OpenSessionLink } from './coviu/session-links/open-session-link.service';
import { SessionLinkHttpController } from './coviu/session-links/session-link.http.controller';
import { SessionEntries } from './coviu/session-entries/session-entries.service';
import { SessionEntriesHttpController } from './coviu/session-entries/session-entries.http.controller';
import { SessionEntriesJoinHook } from './coviu/session-entries/session-entries.join-hook';
import { CreateAlias } from './datagram/create-alias/create-alias.service';
import { CreateAliasHttpController } from './datagram/create-alias/create-alias.http.controller';
import { GetAlias } from './datagram/get-alias/get-alias.service';
import { GetAliasHttpController } from './datagram/get-alias/get-alias.http.controller';

const httpControllers = [
  JoinHttpController,
  JoinGrantKeysHttpController,
  PresenceHttpController,
  RoomsHttpController,
  MediaServersHttpController,
  GcoreRoomApiHttpController,
  SubscriptionsHttpController,
  SessionLinkHttpController,
  SessionEntriesHttpController,
  CreateAliasHttpController,
  GetAliasHttpController,
  WaitingRoomHttpController,
  ModerationHttpController,
];
const useCases = [
  DecideJoin,
  JoinRefusalsPublisher,
  PrepareRoom,
  GetRoom,
  Presence,
  LivePeers,
  GcoreRoomApi,
  Subscriptions,
  SubscriptionRule,
  OpenSessionLink,
  SessionEntries,
  CreateAlias,
  GetAlias,
  WatchWaiting,
  DecideWaiting,
  SwitchWaitingRoom,
  ModeratePeer,
  ModerateRoom,
  ChangeRole,
  Hands,
  ModeratedPeers,
];
const domain = [
  LiveRooms,
  PeerDepartures,
  PresenceSweeper,
  MediaServers,
  { provide: MediaNodeRegistry, useFactory: () => new MediaNodeRegistry() },
  MediaPlacementService,
  WaitingEntries,
  PeerModerationState,
  ModerationActors,
  ActorCredentialsGuard,
  JoinStateStore,
  JoinGrantSigner,
  JoinGrantKeys,
];
const adapters = [ParticipantTokensClient, AccessCheckClient];
/** Capabilities that take part in every join, in the order they run. */
const joinHooks: Array<new (...args: never[]) => JoinHook> = [
  OwnerSubscriptionJoinHook,
  WaitingRoomJoinHook,
  SessionEntriesJoinHook,
];

/** Configuration and server-API access control, available to every module of the service. */
@Global()
@Module({})
class RoomsCoreModule {
  static forConfig(config: RoomsConfig): DynamicModule {
    return {
      module: RoomsCoreModule,
      providers: [
        { provide: ROOMS_CONFIG, useValue: config },
        { provide: OUTBOUND_GUARD, useValue: new OutboundGuard(config.OUTBOUND_ALLOWED_HOSTS.split(',')) },
      ],
      exports: [ROOMS_CONFIG, OUTBOUND_GUARD],
    };
  }
}

/** The rooms service: rooms, join decisions, presence and moderation. */
@Module({})
export class RoomsModule {
  static forConfig(config: RoomsConfig): DynamicModule {
    return {
      module: RoomsModule,
      imports: [
        RoomsCoreModule.forConfig(config),
        TelemetryModule,
        HttpLifecycleModule,
        DatabaseModule.forRoot(roomsDatabaseOptions(config.DATABASE_URL, config.ROOMS_DB_SCHEMA)),
        BusModule.forRoot({
          service: 'rooms',
          url: config.NATS_URL,
          // A request per join: a stack trace captured for each was 3-4% of the service's CPU.
          connect: { asyncTraces: false },
        }),
        ServerApiAccessModule.forRoot({
          jwksUrl: config.AUTH_JWKS_URL,
          issuer: issuerOf(config),
          defaultRateLimit: config.DEFAULT_RATE_LIMIT_PER_SECOND,
        }),
        OutboxModule.forRoot(),
      ],
      controllers: httpControllers,
      providers: [
        ...useCases,
        ...domain,
        ...adapters,
        ...joinHooks,
        { provide: JOIN_HOOKS, inject: joinHooks, useFactory: (...hooks: JoinHook[]) => hooks },
      ],
    };
  }
}
