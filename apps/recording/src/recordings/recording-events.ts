import {
  buildEvent,
  EventContract,
  EventDataOf,
  EventOf,
  RecordingDeleted,
  RecordingFailed,
  RecordingPartCompleted,
  RecordingReady,
  RecordingStarted,
  RecordingStopped,
} from '@confer/contracts';
import type { RecordingRow } from './recording.rows';

export const recordingContracts = [
  RecordingStarted,
  RecordingPartCompleted,
  RecordingStopped,
  RecordingReady,
  RecordingFailed,
  RecordingDeleted,
] as const;

/**
 * One recording event with a deterministic id (recording, type, and `key` for parts), so a
 * step repeated after a crash publishes a duplicate the stream drops rather than a second fact.
 */
export function recordingEvent<C extends EventContract>(
  contract: C,
  recording: Pick<RecordingRow, 'id' | 'org_id' | 'room_id'>,
  data: Omit<EventDataOf<C>, 'recordingId' | 'roomId'>,
  key = '',
): EventOf<C> {
  return buildEvent(contract, {
    id: `${recording.id}:${contract.type}${key ? `:${key}` : ''}`,
    source: '/confer/recording',
    orgId: recording.org_id,
    roomId: recording.room_id,
    subject: recording.id,
    data: { recordingId: recording.id, roomId: recording.room_id, ...data } as unknown as EventDataOf<C>,
  });
}
