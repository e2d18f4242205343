import { OutboxWriter } from '@confer/outbox';
import { RecordingFailed, RecordingReady, RecordingStopped } from '@confer/contracts';
import { recordingEvent } from '../recordings/recording-events';
import { RecordingRow } from '../recordings/recording.rows';
import { RecordingsStore } from '../recordings/recordings.store';
import { OrgRecordingSettingsStore } from '../settings/org-recording-settings';
import type { RecordingMetrics } from './recording.metrics';

type StopReason = 'requested' | 'room_ended' | 'auto_stop' | 'failed';
const STOP_REASONS: readonly string[] = ['requested', 'room_ended', 'auto_stop', 'failed'];

/** The status changes at a recording's end, each with its event, in one transaction each. */
export class RecordingFinisher {
  constructor(
    private readonly store: RecordingsStore,
    private readonly outbox: OutboxWriter,
    private readonly settings: OrgRecordingSettingsStore,
    private readonly metrics?: RecordingMetrics,
  ) {}

  /** recording → processing (`recording.stopped`). */
  async stopped(recording: RecordingRow): Promise<void> {
    const reason = (
      STOP_REASONS.includes(recording.stop_reason ?? '') ? recording.stop_reason : 'requested'
    ) as StopReason;
    await this.store.transaction(async (tx) => {
      const stoppedAt = new Date();
      await this.store.updateRecording(tx, recording.id, {
        status: 'processing',
        stopped_at: stoppedAt,
        stop_reason: reason,
        progress: 50,
      });
      await this.outbox.add(
        tx,
        RecordingStopped,
        recordingEvent(RecordingStopped, recording, {
          reason,
          ...(recording.stopped_by ? { stoppedBy: recording.stopped_by } : {}),
          stoppedAt: stoppedAt.toISOString(),
        }),
      );
    });
  }

  /** processing → ready (`recording.ready`), with the retention deadline. */
  async ready(recording: RecordingRow): Promise<void> {
    const { retentionDays } = await this.settings.get(recording.org_id);
    await this.store.transaction(async (tx) => {
      const parts = await this.store.parts(tx, [recording.id]);
      const kept = parts.filter((p) => p.status === 'ready');
      const duration = kept.reduce((sum, p) => sum + (p.duration_seconds ?? 0), 0);
      const readyAt = new Date();
      await this.store.updateRecording(tx, recording.id, {
        status: 'ready',
        progress: 100,
        ready_at: readyAt,
        owner: null,
        lease_until: null,
        expires_at: retentionDays
          ? new Date(recording.started_at.getTime() + retentionDays * 86_400_000)
          : null,
      });
      await this.outbox.add(
        tx,
        RecordingReady,
        recordingEvent(RecordingReady, recording, {
          parts: kept.length,
          durationSeconds: Math.round(duration * 1000) / 1000,
          readyAt: readyAt.toISOString(),
        }),
      );
    });
    this.metrics?.ended('ready');
  }

  /** → failed (`recording.stopped` with reason failed, then `recording.failed`); parts kept stay. */
  async failed(recording: RecordingRow, reason: string): Promise<void> {
    const { retentionDays } = await this.settings.get(recording.org_id);
    await this.store.transaction(async (tx) => {
      const at = new Date();
      await this.store.updateRecording(tx, recording.id, {
        status: 'failed',
        failure_reason: reason.slice(0, 500),
        stopped_at: recording.stopped_at ?? at,
        stop_reason: recording.stop_reason ?? 'failed',
        owner: null,
        lease_until: null,
        expires_at: retentionDays
          ? new Date(recording.started_at.getTime() + retentionDays * 86_400_000)
          : null,
      });
      if (recording.status === 'recording')
        await this.outbox.add(
          tx,
          RecordingStopped,
          recordingEvent(RecordingStopped, recording, { reason: 'failed', stoppedAt: at.toISOString() }),
        );
      await this.outbox.add(
        tx,
        RecordingFailed,
        recordingEvent(RecordingFailed, recording, {
          reason: reason.slice(0, 500),
          failedAt: at.toISOString(),
        }),
      );
    });
    this.metrics?.ended('failed');
  }
}
