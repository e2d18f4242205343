import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { RecordingErrors } from '../recording.errors';
import { RecordingControl } from '../recordings/recording-control.service';
import { DueRoom, RoomLifeStore } from '../rooms/room-life.store';

/** How often due auto-recording timers are looked for: "about" startDelaySeconds, to the second. */
const SCHEDULER_MS = 1000;
/** A timer whose action failed for a passing reason is tried again this much later. */
const RETRY_MS = 3000;
/** Most timers handled in one round. */
const ROUND_LIMIT = 50;

/**
 * Auto-recording's clock: starts the recordings whose start delay ran out in a room still
 * live, and stops those whose room stayed empty for the stop delay. Each due timer is
 * claimed by one replica, one at a time, and armed again when its action failed for a
 * passing reason; the timers live in the database, so a restart loses none.
 */
@Injectable()
export class AutoRecordingScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AutoRecordingScheduler.name);
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(
    private readonly rooms: RoomLifeStore,
    private readonly control: RecordingControl,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), SCHEDULER_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async run(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let i = 0; i < ROUND_LIMIT; i++) {
        const room = await this.rooms.claimDueStart();
        if (!room) break;
        await this.start(room);
      }
      for (let i = 0; i < ROUND_LIMIT; i++) {
        const room = await this.rooms.claimDueStop();
        if (!room) break;
        await this.stop(room);
      }
    } catch (error) {
      this.logger.warn({ message: 'auto-recording round failed', error: String(error) });
    } finally {
      this.busy = false;
    }
  }

  private async start(room: DueRoom): Promise<void> {
    try {
      await this.control.start(room.org_id, room.room_id, 'auto', null);
    } catch (error) {
      if (RecordingErrors.roomNotLive.is(error)) return;
      if (RecordingErrors.alreadyRecording.is(error)) {
        // Recorded already, unless that recording is on its way out: then try again shortly.
        const active = await this.control.activeRecording(room.org_id, room.room_id);
        if (!active?.stop_requested_at) return;
      } else {
        this.logger.warn({ message: 'auto-recording start failed', ...room, error: String(error) });
      }
      await this.rooms.armStart(undefined, room.org_id, room.room_id, new Date(Date.now() + RETRY_MS));
    }
  }

  private async stop(room: DueRoom): Promise<void> {
    const active = await this.control.activeRecording(room.org_id, room.room_id);
    if (active?.trigger !== 'auto' || active.stop_requested_at) return;
    try {
      await this.control.stop(room.org_id, active.id, 'auto_stop', null);
    } catch (error) {
      if (RecordingErrors.notRecording.is(error)) return;
      this.logger.warn({ message: 'auto-recording stop failed', ...room, error: String(error) });
      await this.rooms.armStop(undefined, room.org_id, room.room_id, new Date(Date.now() + RETRY_MS));
    }
  }
}
