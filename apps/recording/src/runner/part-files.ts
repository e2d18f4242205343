import { OutboxWriter } from '@confer/outbox';
import { RecordingPartCompleted } from '@confer/contracts';
import type { CompletedPart } from '../compositor/room-composite';
import { recordingEvent } from '../recordings/recording-events';
import { PartRow, RecordingRow } from '../recordings/recording.rows';
import { RecordingsStore } from '../recordings/recordings.store';
import { RecordingStorage } from '../storage/recording-storage.port';
import type { RecordingMetrics } from './recording.metrics';

/** A finished part that storage refused, with a reason a person reads. */
export class PartNotStored extends Error {
  constructor(partNumber: number, cause: unknown) {
    super(`could not store part ${partNumber}: ${messageOf(cause)}`, { cause });
    this.name = 'PartNotStored';
  }
}

/** An error's message without its class name ("ENOSPC: no space left on device, write"). */
export function messageOf(error: unknown): string {
  // Not `instanceof Error`: errors made in another realm (a VM context, a worker) fail it.
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message ? message : String(error);
}

/**
 * Keeps a finished part: its files go to storage under the part's file id, then the part is
 * marked ready (with `part-completed`) in one transaction. Shared by the runner and by the
 * take-over of a recording whose replica died.
 */
export class PartKeeper {
  constructor(
    private readonly store: RecordingsStore,
    private readonly storage: RecordingStorage,
    private readonly outbox: OutboxWriter,
    private readonly metrics?: RecordingMetrics,
  ) {}

  async keep(recording: RecordingRow, part: PartRow, completed: CompletedPart): Promise<void> {
    const db = this.store.dataSourceManager();
    await this.store.updatePart(db, part.id, { status: 'processing' });
    let bytes: number;
    try {
      bytes = await this.storage.storePart(completed.dir, part.file_id);
    } catch (error) {
      // A full disk or an unwritable store: the part is lost to the recording (its files stay
      // in the work directory), and the caller fails the recording with this reason.
      await this.discard(part).catch(() => undefined);
      throw new PartNotStored(part.part_number, error);
    }
    await this.store.transaction(async (tx) => {
      await this.store.updatePart(tx, part.id, {
        status: 'ready',
        ended_at: completed.endedAt,
        duration_seconds: completed.durationSeconds,
        interrupted: completed.interrupted,
        bytes: String(bytes),
      });
      await this.outbox.add(
        tx,
        RecordingPartCompleted,
        recordingEvent(
          RecordingPartCompleted,
          recording,
          {
            partId: part.id,
            partNumber: part.part_number,
            startedAt: completed.startedAt.toISOString(),
            endedAt: completed.endedAt.toISOString(),
            durationSeconds: completed.durationSeconds,
            interrupted: completed.interrupted,
          },
          String(part.part_number),
        ),
      );
    });
    this.metrics?.partKept(completed.interrupted);
  }

  /** A part that left nothing usable (the recorder died before its first segment). */
  async discard(part: PartRow): Promise<void> {
    await this.store.updatePart(this.store.dataSourceManager(), part.id, {
      status: 'failed',
      ended_at: new Date(),
      duration_seconds: 0,
      interrupted: true,
    });
  }
}
