import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventConsumer } from '@confer/bus';
import {
  eventCatalogue,
  eventFilter,
  EventOf,
  RoomEnded,
  RoomSettingsChanged,
  RoomStarted,
} from '@confer/contracts';
import { RECORDING_CONFIG, RecordingConfig } from '../config/recording.config';
import { RecordingControl } from '../recordings/recording-control.service';
import { OrgRecordingSettingsStore } from '../settings/org-recording-settings';
import { RoomLifeStore } from './room-life.store';

/** room.* events; the filter also carries room events this service ignores, which are acknowledged. */
const roomContracts = eventCatalogue.filter((c) => c.type.startsWith('room.'));

/**
 * Follows room life for recordings: which rooms are live (a start needs one), each room's own
 * auto-recording switch, and auto-recording's timers: a start `startDelaySeconds` after a room
 * comes to life, a stop `stopDelaySeconds` after it ends unless it comes back first. A manual
 * recording stops when its room ends.
 */
@Injectable()
export class RoomLifeConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(RoomLifeConsumer.name);

  constructor(
    private readonly consumer: EventConsumer,
    private readonly rooms: RoomLifeStore,
    private readonly settings: OrgRecordingSettingsStore,
    private readonly control: RecordingControl,
    @Inject(RECORDING_CONFIG) private readonly config: RecordingConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.consume({
      durable: this.config.RECORDING_CONSUMER,
      filterSubjects: [eventFilter({ type: 'room.*' })],
      contracts: roomContracts,
      // In stream order: a room's start and end must not be applied the other way round.
      concurrency: 1,
      backoffMs: [200, 1000, 5000],
      handler: async (event) => {
        switch (event.type) {
          case 'io.confer.room.started':
            return this.started(event as EventOf<typeof RoomStarted>);
          case 'io.confer.room.ended':
            return this.ended(event as EventOf<typeof RoomEnded>);
          case 'io.confer.room.settings-changed':
            return this.settingsChanged(event as EventOf<typeof RoomSettingsChanged>);
        }
      },
    });
    this.logger.log({ message: 'following room life', durable: this.config.RECORDING_CONSUMER });
  }

  private async started(event: EventOf<typeof RoomStarted>): Promise<void> {
    const { orgid: orgId, data } = event;
    const at = new Date(data.startedAt);
    const auto = await this.autoSettings(orgId, data.roomId);
    const active = await this.control.activeRecording(orgId, data.roomId);
    const startAt = auto && !active ? new Date(at.getTime() + auto.startDelaySeconds * 1000) : null;
    await this.rooms.started(orgId, data.roomId, at, startAt);
  }

  private async ended(event: EventOf<typeof RoomEnded>): Promise<void> {
    const { orgid: orgId, data } = event;
    const at = new Date(data.endedAt);
    const active = await this.control.activeRecording(orgId, data.roomId);
    const auto = active?.trigger === 'auto' ? await this.autoSettings(orgId, data.roomId) : null;
    // An auto-recording goes on through a brief empty room; any other stops with its room.
    const stopAt = active && auto ? new Date(at.getTime() + auto.stopDelaySeconds * 1000) : null;
    await this.rooms.ended(orgId, data.roomId, at, stopAt);
    if (active && !stopAt) await this.control.stop(orgId, active.id, 'room_ended', null);
  }

  private async settingsChanged(event: EventOf<typeof RoomSettingsChanged>): Promise<void> {
    const value = event.data.settings.autoRecord;
    if (typeof value === 'boolean' || value === null)
      await this.rooms.setAutoRecord(event.orgid, event.data.roomId, value);
  }

  /** The organisation's timers when the room is to be auto-recorded (its own switch wins), else null. */
  private async autoSettings(orgId: string, roomId: string) {
    const settings = await this.settings.get(orgId);
    const own = await this.rooms.autoRecordOf(orgId, roomId);
    return (own ?? settings.autoRecord) ? settings : null;
  }
}
