import {
  DynamicModule,
  Injectable,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import { HttpLifecycleModule } from '@confer/http';
import { ReadinessRegistry, TelemetryModule } from '@confer/telemetry';
import { issuerOf, MEDIA_CONFIG, MediaConfig, workerBinOf } from './config/media.config';
import { chatRequests } from './chat/send-chat-message.request';
import { JoinGrantVerifier } from './grants/join-grant';
import { RemoteJwksJoinGrantVerifier } from './grants/remote-jwks-join-grant.verifier';
import { Room } from './rooms/room';
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

/** Closes rooms, then workers, when the service stops; reports the workers to /readyz. */
@Injectable()
class MediaLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly workers: WorkerPool,
    private readonly rooms: RoomRegistry,
    @Optional() private readonly readiness?: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness?.register('mediasoup', async () => {
      if (this.workers.size === 0) throw new Error('no mediasoup workers');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.rooms.closeAll();
    this.workers.close();
  }
}

function handlersFor(config: MediaConfig): JoinedHandlers {
  return {
    ...transportRequests({
      listenIp: config.MEDIA_LISTEN_IP,
      announcedIp: config.MEDIA_ANNOUNCED_IP,
      initialAvailableOutgoingBitrate: config.MEDIA_INITIAL_OUTGOING_BITRATE,
    }),
    ...producerRequests,
    ...consumerRequests,
    ...leaveRequest,
    ...chatRequests,
  };
}

/** The media service: mediasoup workers, a router per room, and WebSocket signaling. */
@Module({})
export class MediaModule {
  static forConfig(config: MediaConfig): DynamicModule {
    return {
      module: MediaModule,
      imports: [TelemetryModule, HttpLifecycleModule],
      providers: [
        { provide: MEDIA_CONFIG, useValue: config },
        {
          provide: WorkerPool,
          useFactory: () =>
            WorkerPool.create({
              count: config.MEDIA_WORKERS,
              workerBin: workerBinOf(config),
              logLevel: config.MEDIA_LOG_LEVEL,
              rtcMinPort: config.MEDIA_RTC_MIN_PORT,
              rtcMaxPort: config.MEDIA_RTC_MAX_PORT,
            }),
        },
        {
          provide: RoomRegistry,
          inject: [WorkerPool],
          useFactory: (workers: WorkerPool) =>
            new RoomRegistry(workers, (key, worker) => Room.create(key, worker)),
        },
        {
          provide: JoinGrantVerifier,
          useFactory: () =>
            new RemoteJwksJoinGrantVerifier({
              jwksUrl: config.AUTH_JWKS_URL,
              issuer: issuerOf(config),
              mediaServerId: config.MEDIA_SERVER_ID,
            }),
        },
        {
          provide: JoinRoom,
          inject: [JoinGrantVerifier, RoomRegistry],
          useFactory: (grants: JoinGrantVerifier, rooms: RoomRegistry) => new JoinRoom(grants, rooms),
        },
        { provide: JOINED_HANDLERS, useValue: handlersFor(config) },
        SignalingServer,
        MediaLifecycle,
      ],
    };
  }
}
