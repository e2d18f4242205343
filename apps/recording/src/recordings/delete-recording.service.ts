import { Injectable, Logger } from '@nestjs/common';
import { OutboxWriter } from '@confer/outbox';
import { RecordingDeleted } from '@confer/contracts';
import { RecordingErrors } from '../recording.errors';
import { RecordingStorage } from '../storage/recording-storage.port';
import { recordingEvent } from './recording-events';
import { RecordingRow } from './recording.rows';
import { RecordingsStore } from './recordings.store';

/**
 * Deletes a recording's files, on request or past retention. The recording stays listed as
 * deleted (its history is kept), with `recording.deleted`.
 */
@Injectable()
export class DeleteRecording {
  private readonly logger = new Logger(DeleteRecording.name);

  constructor(
    private readonly store: RecordingsStore,
    private readonly storage: RecordingStorage,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute(recording: RecordingRow, reason: 'requested' | 'retention'): Promise<void> {
    if (recording.status === 'recording' || recording.status === 'processing')
      throw RecordingErrors.recordingActive({ recordingId: recording.id, status: recording.status });
    const deletedAt = new Date();
    // Marked first: from now on no address of it is served, even if a file delete fails below.
    const marked = await this.store.transaction(async (tx) => {
      const [rows] = (await tx.query(
        `UPDATE recordings SET deleted_at = $2, delete_reason = $3 WHERE id = $1 AND deleted_at IS NULL RETURNING id`,
        [recording.id, deletedAt, reason],
      )) as [unknown[], number];
      if (rows.length === 0) return false;
      await this.outbox.add(
        tx,
        RecordingDeleted,
        recordingEvent(RecordingDeleted, recording, { reason, deletedAt: deletedAt.toISOString() }),
      );
      return true;
    });
    if (!marked) return;
    for (const part of await this.store.parts(this.store.dataSourceManager(), [recording.id])) {
      await this.storage
        .deletePart(part.file_id)
        .catch((error: unknown) =>
          this.logger.error({ message: 'could not delete a part', partId: part.id, error: String(error) }),
        );
    }
  }
}
