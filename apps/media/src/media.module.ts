import { DynamicModule, Logger, Module } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import {
  Announcements,
  BUS_OPTIONS,
  BusModule,
  CommandClient,
  EventPublisherPort,
  NATS_CONNECTION,
  ResolvedBusOptions,
} from '@confer/bus';
import { HttpLifecycleModule } from '@confer/http';
import { TelemetryModule } from '@confer/telemetry';
import { issuerOf, MEDIA_CONFIG, MediaConfig, nodeIdOf, workerBinOf } from './config/media.config';
import { chatRequests } from './chat/send-chat-message.request';
import { JoinGrantVerifier } from './grants/join-grant';
import { RemoteJwksJoinGrantVerifier } from './grants/remote-jwks-join-grant.verifier';
import { consumerLayerRequests } from './simulcast/consumer-layers.requests';
import { interpretationRequests } from './interpretation/set-interpretation.request';
import { exitAfterLeaves, MediaLifecycle } from './media.lifecycle';
import { MediaMetrics } from './media.metrics';
import { NodeLoadAnnouncer } from './node-load/node-load.announcer';
import { nodeOriginOf, nodeUrlOf } from './node-load/node-address';
import { CallDrain } from './drain/call-drain';
import { MediaEventsPublisher } from './media-events/media-events.publisher';
import { HttpRoomsPresence } from './presence/http-rooms-presence.adapter';
import { PresenceKeeper } from './presence/presence-keeper';
import { RoomsPresence } from './presence/rooms-presence.port';
import { RecorderCommandsMessageController } from './recorders/recorder-commands.message.controller';
import type { RosterPublisher } from './recorders/recorder-session';
import { RecorderSessions } from './recorders/recorder-sessions';
import { recordingRequests } from './recorders/recording.requests';
import { Room } from './rooms/room';
import { JetStreamRoomsEventsSource } from './rooms-events/jetstream-rooms-events.source';
import { RoomsEventsConsumer } from './rooms-events/rooms-events.consumer';
import { RoomsEventsSource } from './rooms-events/rooms-events.source.port';
import { RoomRegistry } from './rooms/room-registry';
import { consumerRequests } from './signaling/requests/consumer.requests';
import { JoinRoom } from './signaling/requests/join-room';
import type { JoinedHandlers } from './signaling/requests/joined-handlers';
import { leaveRequest } from './signaling/requests/leave.request';
import { producerRequests } from './signaling/requests/producer.requests';
import { transportRequests } from './signaling/requests/transport.requests';
import { SignalingServer } from './signaling/signaling.server';
import { JOINED_HANDLERS } from './signaling/signaling.tokens';
import { WorkerPool } from './workers/worker-pool';
import { natsSpanBus } from './span/nats-span.bus';
import { RoomSpanMessageController } from './span/room-span.message.controller';
import { RoomSpans } from './span/room-spans';

/** A spanned room's nodes publish their share this often, and drop a node silent for 5 s. */
const ROOM_SPAN_HEARTBEAT_MS = 2000;
const ROOM_SPAN_STALE_AFTER_MS = 5000;

/** A recorder is sent the room's roster this often even when nothing changed. */
const RECORDER_ROSTER_HEARTBEAT_MS = 2000;

/** Rosters go out on core NATS: a lost one is healed by the next, so a failure is only logged. */
function publishRosters(nc: NatsConnection): RosterPublisher {
  const logger = new Logger('RecorderRosters');
  return (subject, roster) => {
    try {
      nc.publish(subject, new TextEncoder().encode(JSON.stringify(roster)));
    } catch (error) {
      logger.warn({ msg: 'could not publish a recorder roster', subject, error: String(error) });
    }
  };
}

/** The rooms this node records: all of its own, and of spanned rooms those it is primary for. */
function recordedRooms(rooms: RoomRegistry, spans: RoomSpans | null): Pick<RoomRegistry, 'find'> {
  return {
    find: (key) => {
      const room = rooms.find(key);
      return room && (!spans || spans.isPrimary(room)) ? room : undefined;
    },
  };
}

function handlersFor(config: MediaConfig, commands: CommandClient): JoinedHandlers {
  return {
    ...transportRequests({
      listenIp: config.MEDIA_LISTEN_IP,
      announcedIp: config.MEDIA_ANNOUNCED_IP,
      initialAvailableOutgoingBitrate: config.MEDIA_INITIAL_OUTGOING_BITRATE,
      plainIngest: config.MEDIA_PLAIN_INGEST,
    }),
    ...producerRequests,
    ...consumerRequests,
    ...leaveRequest,
    ...chatRequests,
    ...consumerLayerRequests,
    ...interpretationRequests,
    ...recordingRequests(commands),
  };
}

/** The media service: mediasoup workers, a router per room, and WebSocket signaling. */
@Module({})
export class MediaModule {
  static forConfig(config: MediaConfig): DynamicModule {
    return {
      module: MediaModule,
      imports: [
        TelemetryModule,
        HttpLifecycleModule,
        BusModule.forRoot({ service: 'media', url: config.NATS_URL }),
      ],
      providers: [
        { provide: MEDIA_CONFIG, useValue: config },
        { provide: RoomsPresence, useFactory: () => new HttpRoomsPresence(config.ROOMS_URL) },
        {
          provide: PresenceKeeper,
          inject: [RoomsPresence],
          useFactory: (presence: RoomsPresence) =>
            new PresenceKeeper(presence, config.MEDIA_PRESENCE_HEARTBEAT_SECONDS * 1000),
        },
        {
          provide: WorkerPool,
          inject: [PresenceKeeper],
          useFactory: (presence: PresenceKeeper) =>
            WorkerPool.create({
              count: config.MEDIA_WORKERS,
              workerBin: workerBinOf(config),
              logLevel: config.MEDIA_LOG_LEVEL,
              rtcMinPort: config.MEDIA_RTC_MIN_PORT,
              rtcMaxPort: config.MEDIA_RTC_MAX_PORT,
              onWorkerDied: exitAfterLeaves(presence),
            }),
        },
        {
          // Rooms span nodes only where nodes announce themselves (the rooms service places by it).
          provide: RoomSpans,
          inject: [NATS_CONNECTION, CommandClient],
          useFactory: (nc: NatsConnection, commands: CommandClient) =>
            config.MEDIA_NODE_REPORT_SECONDS > 0
              ? new RoomSpans(natsSpanBus(nc, commands), {
                  nodeId: nodeIdOf(config),
                  pipe: {
                    ip: config.MEDIA_LISTEN_IP,
                    announcedIp: config.MEDIA_PIPE_ANNOUNCED_IP ?? config.MEDIA_ANNOUNCED_IP,
                  },
                  heartbeatMs: ROOM_SPAN_HEARTBEAT_MS,
                  staleAfterMs: ROOM_SPAN_STALE_AFTER_MS,
                })
              : null,
        },
        {
          provide: RoomRegistry,
          inject: [WorkerPool, RoomSpans],
          useFactory: (workers: WorkerPool, spans: RoomSpans | null) =>
            new RoomRegistry(workers, async (key, worker) => {
              const room = await Room.create(key, worker, {
                activeSpeakerMinIntervalMs: config.MEDIA_ACTIVE_SPEAKER_MIN_INTERVAL_MS,
                interpreterLingerMs: config.MEDIA_INTERPRETER_LINGER_SECONDS * 1000,
              });
              spans?.follow(room);
              return room;
            }),
        },
        {
          provide: JoinGrantVerifier,
          useFactory: () =>
            new RemoteJwksJoinGrantVerifier({
              roomsUrl: config.ROOMS_URL,
              jwksUrl: config.AUTH_JWKS_URL,
              issuer: issuerOf(config),
              mediaServerId: config.MEDIA_SERVER_ID,
              nodeId: nodeIdOf(config),
            }),
        },
        {
          provide: JoinRoom,
          inject: [JoinGrantVerifier, RoomRegistry, PresenceKeeper, MediaEventsPublisher, MediaMetrics],
          useFactory: (
            grants: JoinGrantVerifier,
            rooms: RoomRegistry,
            presence: PresenceKeeper,
            mediaEvents: MediaEventsPublisher,
            metrics: MediaMetrics,
          ) => {
            const joinRoom = new JoinRoom(grants, rooms);
            joinRoom.onAdmitted(presence);
            joinRoom.onAdmitted(mediaEvents);
            joinRoom.onAdmitted(metrics);
            return joinRoom;
          },
        },
        {
          provide: NodeLoadAnnouncer,
          inject: [Announcements, RoomRegistry, WorkerPool, RecorderSessions, RoomSpans],
          useFactory: (
            announcements: Announcements,
            rooms: RoomRegistry,
            workers: WorkerPool,
            recorders: RecorderSessions,
            spans: RoomSpans | null,
          ) =>
            new NodeLoadAnnouncer(
              announcements,
              rooms,
              workers,
              {
                nodeId: nodeIdOf(config),
                serverGroup: config.MEDIA_SERVER_ID,
                url: nodeUrlOf(config, nodeIdOf(config)),
                origin: nodeOriginOf(config),
                maxConsumers: config.MEDIA_MAX_CONSUMERS || 500 * workers.size,
              },
              config.MEDIA_NODE_REPORT_SECONDS * 1000,
              () => recorders.consumers + (spans?.pipeConsumers ?? 0),
            ),
        },
        {
          provide: CallDrain,
          inject: [RoomRegistry, NodeLoadAnnouncer],
          useFactory: (rooms: RoomRegistry, nodeLoad: NodeLoadAnnouncer) =>
            new CallDrain(rooms, nodeLoad, {
              graceSeconds: config.MEDIA_DRAIN_GRACE_SECONDS,
              announce: config.MEDIA_NODE_REPORT_SECONDS > 0,
            }),
        },
        {
          provide: MediaMetrics,
          inject: [RoomRegistry, WorkerPool],
          useFactory: (rooms: RoomRegistry, workers: WorkerPool) => new MediaMetrics(rooms, workers),
        },
        {
          provide: MediaEventsPublisher,
          inject: [EventPublisherPort],
          useFactory: (publisher: EventPublisherPort) =>
            new MediaEventsPublisher(publisher, config.MEDIA_SERVER_ID),
        },
        {
          provide: RoomsEventsSource,
          inject: [NATS_CONNECTION, BUS_OPTIONS],
          useFactory: (nc: NatsConnection, bus: ResolvedBusOptions) =>
            new JetStreamRoomsEventsSource(nc, bus.streams.events.name),
        },
        {
          provide: RoomsEventsConsumer,
          inject: [RoomsEventsSource, RoomRegistry],
          useFactory: (source: RoomsEventsSource, rooms: RoomRegistry) =>
            new RoomsEventsConsumer(source, rooms),
        },
        {
          provide: RecorderSessions,
          inject: [NATS_CONNECTION, RoomRegistry, RoomSpans],
          useFactory: (nc: NatsConnection, rooms: RoomRegistry, spans: RoomSpans | null) =>
            // A room spanning nodes is recorded from one: the node of its earliest instance.
            new RecorderSessions(recordedRooms(rooms, spans), publishRosters(nc), {
              listenIp: config.MEDIA_LISTEN_IP,
              leaseMs: config.MEDIA_RECORDER_LEASE_SECONDS * 1000,
              heartbeatMs: RECORDER_ROSTER_HEARTBEAT_MS,
            }),
        },
        RecorderCommandsMessageController,
        RoomSpanMessageController,
        {
          provide: JOINED_HANDLERS,
          inject: [CommandClient],
          useFactory: (commands: CommandClient) => handlersFor(config, commands),
        },
        SignalingServer,
        MediaLifecycle,
      ],
    };
  }
}
