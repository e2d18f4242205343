import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import type { types } from 'mediasoup';
import { ReadinessRegistry } from '@confer/telemetry';
import { MEDIA_CONFIG, MediaConfig } from './config/media.config';
import { NodeLoadAnnouncer } from './node-load/node-load.announcer';
import { PresenceKeeper } from './presence/presence-keeper';
import { RoomRegistry } from './rooms/room-registry';
import { RoomsEventsConsumer } from './rooms-events/rooms-events.consumer';
import { WorkerPool } from './workers/worker-pool';

/**
 * Starts presence, rooms' events and (when configured) load reports once the app is up;
 * when the service stops, says it is draining, stops listening, closes rooms (their peers leave cleanly in the rooms service), then the
 * workers. Reports the workers, and whether rooms' events are being read, to /readyz.
 */
@Injectable()
export class MediaLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly workers: WorkerPool,
    private readonly rooms: RoomRegistry,
    private readonly presence: PresenceKeeper,
    private readonly roomsEvents: RoomsEventsConsumer,
    private readonly nodeLoad: NodeLoadAnnouncer,
    @Inject(MEDIA_CONFIG) private readonly config: MediaConfig,
    @Optional() private readonly readiness?: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness?.register('mediasoup', async () => {
      if (this.workers.size === 0) throw new Error('no mediasoup workers');
    });
    // Without the rooms service's decisions, kicks and moderation would not reach the media.
    this.readiness?.register('rooms-events', async () => this.roomsEvents.assertFollowing());
  }

  async onApplicationBootstrap(): Promise<void> {
    this.presence.start();
    await this.roomsEvents.start();
    if (this.config.MEDIA_NODE_REPORT_SECONDS > 0) this.nodeLoad.start();
  }

  // Before the bus drains (on application shutdown), so the leaves still go out.
  async beforeApplicationShutdown(): Promise<void> {
    if (this.config.MEDIA_NODE_REPORT_SECONDS > 0) await this.nodeLoad.drain();
    await this.roomsEvents.stop();
    this.presence.stop();
    await this.rooms.closeAll();
    await this.presence.flush();
    this.workers.close();
  }
}

/**
 * A dead worker took its routers with it: their rooms have closed and their peers'
 * leaves are on their way to the rooms service. Let them arrive, then end the process
 * so the orchestrator restarts it.
 */
export function exitAfterLeaves(presence: PresenceKeeper) {
  return (worker: types.Worker, error: Error) => {
    process.stderr.write(
      JSON.stringify({
        level: 'fatal',
        service: 'media',
        msg: 'mediasoup worker died; exiting so the orchestrator restarts this process',
        pid: worker.pid,
        error: String(error),
      }) + '\n',
    );
    void presence.flush().finally(() => process.exit(1));
  };
}
