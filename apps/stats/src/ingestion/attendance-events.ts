import {
  EventOf,
  PeerJoined,
  PeerJoinRefused,
  PeerLeft,
  PeerRoleChanged,
  RecordingPartCompleted,
  RoomEnded,
  RoomStarted,
  eventCatalogue,
} from '@confer/contracts';

/**
 * The consumer accepts the whole catalogue: its one filter subject (NATS 2.9 allows one)
 * also carries events it does not aggregate, which must be acknowledged, not dead-lettered.
 */
export const consumedContracts = eventCatalogue;
export const aggregatedTypes = new Set([
  'io.confer.peer.joined',
  'io.confer.peer.left',
  'io.confer.peer.role-changed',
  'io.confer.peer.join-refused',
  'io.confer.room.started',
  'io.confer.room.ended',
  // Recorded time belongs to the organisation's usage beside its participant time.
  'io.confer.recording.part-completed',
]);

export type AttendanceEvent =
  | EventOf<typeof PeerJoined>
  | EventOf<typeof PeerLeft>
  | EventOf<typeof PeerRoleChanged>
  | EventOf<typeof PeerJoinRefused>
  | EventOf<typeof RoomStarted>
  | EventOf<typeof RoomEnded>
  | EventOf<typeof RecordingPartCompleted>;

export function isAttendanceEvent(event: { type: string }): event is AttendanceEvent {
  return aggregatedTypes.has(event.type);
}
