import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { RecordingErrors } from '../recording.errors';
import { RecordingControl } from '../recordings/recording-control.service';
import { RoomLifeStore } from '../rooms/room-life.store';

/** How often due auto-recording timers are looked for: "about" startDelaySeconds, to the second. */
const SCHEDULER_MS = 1000;

/**
 * Auto-recording's clock: starts the recordings whose start delay ran out in a room still
 * live, and stops those whose room stayed empty for the stop delay. Each due timer is
 * claimed by one replica; the timers themselves live in the database, so a restart loses none.
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
      for (const room of await this.rooms.claimDueStarts()) {
        await this.control.start(room.org_id, room.room_id, 'auto', null).catch((error: unknown) => {
          // Recorded already (by hand, or another replica) or gone: nothing to start.
          if (!RecordingErrors.alreadyRecording.is(error) && !RecordingErrors.roomNotLive.is(error))
            throw error;
        });
      }
      for (const room of await this.rooms.claimDueStops()) {
        const active = await this.control.activeRecording(room.org_id, room.room_id);
        if (active?.trigger === 'auto') await this.control.stop(room.org_id, active.id, 'auto_stop', null);
      }
    } catch (error) {
      this.logger.warn({ message: 'auto-recording round failed', error: String(error) });
    } finally {
      this.busy = false;
    }
  }
}
