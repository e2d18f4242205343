import { AttendanceEvent } from './attendance-events';
import { recordedSecondsOf, recordingDayOf } from './recorded-time-rules';

/** What a batch of new events says about one connection; a leave alone describes the whole session. */
export interface SessionChange {
  orgId: string;
  roomId: string;
  connectionId: string;
  peerId: string;
  conferenceNumber: string;
  role: string;
  face: string;
  joinedAt: Date;
  leftAt: Date | null;
  leaveReason: string | null;
}

/** What a batch says about one life of a room. */
export interface RoomLifeChange {
  orgId: string;
  roomId: string;
  conferenceNumber: string;
  startedAt: Date;
  endedAt: Date | null;
  endReason: string | null;
  /** The room.ended event, whose id the summary's id derives from. */
  endedEventId: string | null;
}

/** A peer's role changed at an instant; it applies to whichever of its sessions held that instant. */
export interface RoleChange {
  eventId: string;
  orgId: string;
  roomId: string;
  conferenceNumber: string;
  peerId: string;
  /** The session the change belongs to, when the event names it; else placed by peer and time. */
  connectionId: string | null;
  changedAt: Date;
  from: string;
  to: string;
}

/** One completed part of a recording, counted in whole seconds on the day it started. */
export interface RecordedPart {
  orgId: string;
  roomId: string;
  partId: string;
  recordingId: string;
  partNumber: number;
  startedAt: Date;
  endedAt: Date;
  /** UTC day (YYYY-MM-DD) the part counts on. */
  day: string;
  seconds: number;
  interrupted: boolean;
}

export interface AttendanceBatch {
  sessions: SessionChange[];
  rooms: RoomLifeChange[];
  roleChanges: RoleChange[];
  /** At most one per part: a part reported twice under two event ids is one part. */
  recordedParts: RecordedPart[];
  joins: number;
  leavesByReason: Map<string, number>;
  /** Refused joins by their reason code: counted, not stored (a refusal changes no attendance). */
  refusalsByReason: Map<string, number>;
}

const key = (...parts: string[]) => parts.join('\u0000');

/**
 * Folds events (already known to be new) into one change per connection and per room life.
 * Order does not matter: a join and a leave of one connection merge into one closed session
 * whichever comes first, which is what makes out-of-order delivery converge.
 */
export function foldAttendance(events: readonly AttendanceEvent[]): AttendanceBatch {
  const sessions = new Map<string, SessionChange>();
  const rooms = new Map<string, RoomLifeChange>();
  const leavesByReason = new Map<string, number>();
  const refusalsByReason = new Map<string, number>();
  const roleChanges: RoleChange[] = [];
  const recordedParts = new Map<string, RecordedPart>();
  let joins = 0;
  for (const event of events) {
    const orgId = event.orgid;
    switch (event.type) {
      case 'io.confer.peer.joined':
      case 'io.confer.peer.left': {
        const d = event.data;
        const k = key(orgId, d.roomId, d.connectionId);
        const left = event.type === 'io.confer.peer.left' ? event.data : null;
        if (left) leavesByReason.set(left.reason, (leavesByReason.get(left.reason) ?? 0) + 1);
        else joins++;
        // A leave describes the whole session (its join time and the role at the end) and
        // wins over a join whichever arrives first; a join never changes a known leave.
        if (!left && sessions.get(k)?.leftAt) break;
        sessions.set(k, {
          orgId,
          roomId: d.roomId,
          connectionId: d.connectionId,
          peerId: d.peerId,
          conferenceNumber: d.conferenceNumber,
          role: d.role,
          face: d.face,
          joinedAt: new Date(d.joinedAt),
          leftAt: left ? new Date(left.leftAt) : null,
          leaveReason: left ? left.reason : null,
        });
        break;
      }
      case 'io.confer.peer.role-changed': {
        const d = event.data;
        roleChanges.push({
          eventId: event.id,
          orgId,
          roomId: d.roomId,
          conferenceNumber: d.conferenceNumber,
          peerId: d.peerId,
          connectionId: d.connectionId ?? null,
          // The event carries no time of its own: it is written in the change's transaction.
          changedAt: new Date(event.time),
          from: d.from,
          to: d.to,
        });
        break;
      }
      case 'io.confer.peer.join-refused': {
        const { reason } = event.data;
        refusalsByReason.set(reason, (refusalsByReason.get(reason) ?? 0) + 1);
        break;
      }
      case 'io.confer.recording.part-completed': {
        const d = event.data;
        const k = key(orgId, d.partId);
        // The first report of a part is kept, here as in the table.
        if (recordedParts.has(k)) break;
        const startedAt = new Date(d.startedAt);
        recordedParts.set(k, {
          orgId,
          roomId: d.roomId,
          partId: d.partId,
          recordingId: d.recordingId,
          partNumber: d.partNumber,
          startedAt,
          endedAt: new Date(d.endedAt),
          day: recordingDayOf(startedAt),
          seconds: recordedSecondsOf(d.durationSeconds),
          interrupted: d.interrupted,
        });
        break;
      }
      case 'io.confer.room.started':
      case 'io.confer.room.ended': {
        const d = event.data;
        const k = key(orgId, d.roomId, d.conferenceNumber, d.startedAt);
        const previous = rooms.get(k);
        const ended = event.type === 'io.confer.room.ended' ? event : null;
        rooms.set(k, {
          orgId,
          roomId: d.roomId,
          conferenceNumber: d.conferenceNumber,
          startedAt: new Date(d.startedAt),
          endedAt: ended ? new Date(ended.data.endedAt) : (previous?.endedAt ?? null),
          endReason: ended ? ended.data.reason : (previous?.endReason ?? null),
          endedEventId: ended ? ended.id : (previous?.endedEventId ?? null),
        });
        break;
      }
    }
  }
  return {
    sessions: [...sessions.values()],
    rooms: [...rooms.values()],
    roleChanges,
    recordedParts: [...recordedParts.values()],
    joins,
    leavesByReason,
    refusalsByReason,
  };
}
