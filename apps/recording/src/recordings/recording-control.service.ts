import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OutboxWriter } from '@confer/outbox';
import { RecordingStarted } from '@confer/contracts';
import { instanceIdOf, RECORDING_CONFIG, RecordingConfig } from '../config/recording.config';
import { RecordingErrors } from '../recording.errors';
import { RoomLifeStore } from '../rooms/room-life.store';
import { RecordingSupervisor } from '../runner/recording-supervisor';
import { recordingEvent } from './recording-events';
import { RecordingRow } from './recording.rows';
import { isUniqueViolation, RecordingsStore } from './recordings.store';

/** Starting and stopping recordings: the one place every way in (API, moderators, auto-recording) goes through. */
@Injectable()
export class RecordingControl {
  private readonly owner: string;

  constructor(
    private readonly store: RecordingsStore,
    private readonly rooms: RoomLifeStore,
    private readonly outbox: OutboxWriter,
    private readonly supervisor: RecordingSupervisor,
    @Inject(RECORDING_CONFIG) private readonly config: RecordingConfig,
  ) {
    this.owner = instanceIdOf(config);
  }

  /** Starts recording a live room on this replica; 404 when it is not live, 409 when it is already recorded. */
  async start(
    orgId: string,
    roomId: string,
    trigger: RecordingRow['trigger'],
    startedBy: string | null,
  ): Promise<RecordingRow> {
    let row: RecordingRow;
    try {
      row = await this.store.transaction(async (tx) => {
        // Held until commit: the room's end, if it comes now, waits and then stops this recording.
        if (!(await this.rooms.isLive(orgId, roomId, tx))) throw RecordingErrors.roomNotLive({ roomId });
        const inserted = await this.store.insert(tx, {
          org_id: orgId,
          room_id: roomId,
          trigger,
          started_by: startedBy,
          owner: this.owner,
          leaseSeconds: this.config.RECORDING_LEASE_SECONDS,
        });
        await this.outbox.add(
          tx,
          RecordingStarted,
          recordingEvent(RecordingStarted, inserted, {
            trigger,
            ...(startedBy ? { startedBy } : {}),
            startedAt: inserted.started_at.toISOString(),
          }),
        );
        return inserted;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const active = await this.store.active(this.store.dataSourceManager(), orgId, roomId);
      throw RecordingErrors.alreadyRecording({ roomId, ...(active ? { recordingId: active.id } : {}) });
    }
    this.supervisor.launch(row);
    return row;
  }

  /** Asks a running recording to stop; it turns `processing` within a second, then `ready`. */
  async stop(orgId: string, recordingId: string, reason: string, by: string | null): Promise<RecordingRow> {
    const manager = this.store.dataSourceManager();
    const existing = await this.store.get(manager, orgId, recordingId);
    if (!existing || existing.deleted_at) throw RecordingErrors.recordingNotFound({ recordingId });
    const stopping = await this.store.requestStop(manager, recordingId, reason, by);
    if (!stopping) throw RecordingErrors.notRecording({ recordingId, status: existing.status });
    this.supervisor.wake(recordingId);
    return stopping;
  }

  async stopRoom(orgId: string, roomId: string, reason: string, by: string | null): Promise<RecordingRow> {
    const active = await this.activeRecording(orgId, roomId);
    if (!active) throw RecordingErrors.notRecording({ roomId });
    return this.stop(orgId, active.id, reason, by);
  }

  activeRecording(orgId: string, roomId: string, tx?: EntityManager): Promise<RecordingRow | undefined> {
    return this.store.active(tx ?? this.store.dataSourceManager(), orgId, roomId);
  }
}
