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
import { EntityManager } from 'typeorm';
import { RECORDING_CONFIG, RecordingConfig } from '../config/recording.config';
import { RecordingErrors } from '../recording.errors';
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
      // One event at a time across the replicas, in stream order; a redelivered older event
      // is still told apart by its time (rooms.changed_at).
      concurrency: 1,
      maxAckPending: 1,
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
    await this.rooms.transaction(async (tx) => {
      if (!(await this.rooms.started(tx, orgId, data.roomId, at))) return;
      const auto = await this.autoSettings(orgId, data.roomId, tx);
      // A recording being stopped is no reason not to record the room coming back.
      const active = await this.control.activeRecording(orgId, data.roomId, tx);
      if (auto && (!active || active.stop_requested_at))
        await this.rooms.armStart(
          tx,
          orgId,
          data.roomId,
          new Date(at.getTime() + auto.startDelaySeconds * 1000),
        );
    });
  }

  private async ended(event: EventOf<typeof RoomEnded>): Promise<void> {
    const { orgid: orgId, data } = event;
    const at = new Date(data.endedAt);
    // In the transaction that marks the room ended: a start deciding on the room meanwhile
    // holds its row, so its recording is seen here once it committed.
    const toStop = await this.rooms.transaction(async (tx) => {
      if (!(await this.rooms.ended(tx, orgId, data.roomId, at))) return undefined;
      const active = await this.control.activeRecording(orgId, data.roomId, tx);
      if (!active || active.stop_requested_at) return undefined;
      const auto = active.trigger === 'auto' ? await this.autoSettings(orgId, data.roomId, tx) : null;
      // An auto-recording goes on through a brief empty room; any other stops with its room.
      if (!auto) return active;
      await this.rooms.armStop(tx, orgId, data.roomId, new Date(at.getTime() + auto.stopDelaySeconds * 1000));
      return undefined;
    });
    if (toStop) await this.stopQuietly(orgId, toStop.id, 'room_ended');
  }

  /**
   * The room's own switch: `autoRecord` true or false, or null (the rooms service sends null
   * when the room's settings were replaced without it) to follow the organisation again. A
   * live room follows the change at once: recording starts after the delay, or its
   * auto-recording stops.
   */
  private async settingsChanged(event: EventOf<typeof RoomSettingsChanged>): Promise<void> {
    const value = event.data.settings.autoRecord;
    if (typeof value !== 'boolean' && value !== null) return;
    const { orgid: orgId } = event;
    const { roomId } = event.data;
    const toStop = await this.rooms.transaction(async (tx) => {
      await this.rooms.setAutoRecord(tx, orgId, roomId, value);
      if (!(await this.rooms.isLive(orgId, roomId, tx))) return undefined;
      const auto = await this.autoSettings(orgId, roomId, tx);
      const active = await this.control.activeRecording(orgId, roomId, tx);
      if (auto && !active)
        await this.rooms.armStart(tx, orgId, roomId, new Date(Date.now() + auto.startDelaySeconds * 1000));
      return !auto && active?.trigger === 'auto' && !active.stop_requested_at ? active : undefined;
    });
    if (toStop) await this.stopQuietly(orgId, toStop.id, 'requested');
  }

  private async stopQuietly(orgId: string, recordingId: string, reason: string): Promise<void> {
    await this.control.stop(orgId, recordingId, reason, null).catch((error: unknown) => {
      // Stopped meanwhile by someone else: nothing left to do.
      if (!RecordingErrors.notRecording.is(error)) throw error;
    });
  }

  /** The organisation's timers when the room is to be auto-recorded (its own switch wins), else null. */
  private async autoSettings(orgId: string, roomId: string, tx: EntityManager) {
    const settings = await this.settings.get(orgId);
    const own = await this.rooms.autoRecordOf(orgId, roomId, tx);
    return (own ?? settings.autoRecord) ? settings : null;
  }
}
