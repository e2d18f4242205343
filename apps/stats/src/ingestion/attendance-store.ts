import { Injectable } from '@nestjs/common';
import { createHash } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import { buildEvent, RoomSummarised } from '@confer/contracts';
import { OutboxWriter } from '@confer/outbox';
import { AttendanceEvent, isAttendanceEvent } from './attendance-events';
import {
  AttendanceBatch,
  foldAttendance,
  RecordedPart,
  RoleChange,
  RoomLifeChange,
  SessionChange,
} from './attendance-batch';
import { bucketsOf, bucketStart, changeBucket, roundSession, RoundedSession } from './attendance-rules';

export interface AppliedBatch {
  /** Events seen for the first time (the rest were redeliveries or replays). */
  fresh: number;
  duplicates: number;
  batch: AttendanceBatch;
  /** Seconds of the recorded parts stored now: a part already known adds nothing. */
  recordedSeconds: number;
}

interface EndedRoomRow {
  org_id: string;
  room_id: string;
  conference_number: string;
  started_at: Date;
  ended_at: Date;
}

/**
 * Applies events to sessions, role changes, room lives and recorded parts with a few set-based
 * statements in one transaction, together with the record of their ids. Every statement is
 * written so that the result does not depend on the order events arrive in, and is idempotent by
 * its own key (connection, role-change event, room life, part): the id record decides what the counters count,
 * and skips the work of a redelivery. Buckets are derived from the sessions when read.
 */
@Injectable()
export class AttendanceStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  apply(events: readonly { id: string; type: string }[]): Promise<AppliedBatch> {
    return this.dataSource.transaction(async (tx) => {
      // Sorted, like every key this transaction writes: replicas handed overlapping
      // redeliveries then wait for each other instead of deadlocking.
      const ids = [...new Set(events.map((e) => e.id))].sort();
      const rows: { event_id: string }[] = await tx.query(
        `INSERT INTO processed_events (event_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING event_id`,
        [ids],
      );
      const fresh = new Set(rows.map((r) => r.event_id));
      const taken = new Set<string>();
      const newEvents: AttendanceEvent[] = [];
      for (const e of events) {
        if (!fresh.has(e.id) || taken.has(e.id)) continue;
        taken.add(e.id);
        if (isAttendanceEvent(e)) newEvents.push(e);
      }
      const batch = foldAttendance(newEvents);
      await this.upsertSessions(tx, batch.sessions);
      await this.insertRoleChanges(tx, batch.roleChanges);
      await this.upsertRoomLives(tx, batch.rooms);
      const recordedSeconds = await this.insertRecordedParts(tx, batch.recordedParts);
      return { fresh: fresh.size, duplicates: events.length - fresh.size, batch, recordedSeconds };
    });
  }

  /**
   * One row per connection, rounded to whole buckets here (attendance-rules.ts) and nowhere
   * else. A leave closes an open or unknown session; nothing reopens or changes a closed one.
   */
  private async upsertSessions(tx: EntityManager, sessions: SessionChange[]): Promise<void> {
    if (sessions.length === 0) return;
    // One lock order for every transaction, so concurrent replicas cannot deadlock.
    sessions.sort((a, b) =>
      compareKeys([a.orgId, a.roomId, a.connectionId], [b.orgId, b.roomId, b.connectionId]),
    );
    const rounded = sessions.map((s) => (s.leftAt ? roundSession(s.joinedAt, s.leftAt) : null));
    await tx.query(
      `INSERT INTO peer_sessions AS s
         (org_id, room_id, connection_id, peer_id, conference_number, role, face, joined_at, left_at, leave_reason,
          join_time, leave_time, person_json)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::timestamptz[], $9::timestamptz[], $10::text[], $11::bigint[], $12::bigint[], $13::text[])
       ON CONFLICT (org_id, room_id, connection_id) DO UPDATE SET
         peer_id = excluded.peer_id, person_json = excluded.person_json, conference_number = excluded.conference_number, role = excluded.role,
         face = excluded.face, joined_at = excluded.joined_at, left_at = excluded.left_at,
         leave_reason = excluded.leave_reason, join_time = excluded.join_time, leave_time = excluded.leave_time
       WHERE s.left_at IS NULL AND excluded.left_at IS NOT NULL`,
      [
        sessions.map((s) => s.orgId),
        sessions.map((s) => s.roomId),
        sessions.map((s) => s.connectionId),
        sessions.map((s) => s.peerId),
        sessions.map((s) => s.conferenceNumber),
        sessions.map((s) => s.role),
        sessions.map((s) => s.face),
        sessions.map((s) => s.joinedAt.toISOString()),
        sessions.map((s) => s.leftAt?.toISOString() ?? null),
        sessions.map((s) => s.leaveReason),
        sessions.map((s) => bucketStart(s.joinedAt)),
        rounded.map((r) => r?.leaveTime ?? null),
        sessions.map((s) => JSON.stringify(s.peerId)),
      ],
    );
    // After the sessions, in the same key order: answers kept about these rooms are now stale.
    const rooms = [...new Map(sessions.map((s) => [`${s.orgId}\u0000${s.roomId}`, s])).values()];
    await tx.query(
      `INSERT INTO room_versions AS v (org_id, room_id, version)
       SELECT *, 1 FROM unnest($1::text[], $2::text[])
       ON CONFLICT (org_id, room_id) DO UPDATE SET version = v.version + 1`,
      [rooms.map((s) => s.orgId), rooms.map((s) => s.roomId)],
    );
  }

  /**
   * Kept as they come; the buckets query places each in the session it names, or (older events
   * without a connection id) in the session of its peer that held its instant.
   */
  private async insertRoleChanges(tx: EntityManager, changes: RoleChange[]): Promise<void> {
    if (changes.length === 0) return;
    changes.sort((a, b) => compareKeys([a.eventId], [b.eventId]));
    await tx.query(
      `INSERT INTO peer_role_changes
         (event_id, org_id, room_id, conference_number, peer_id, changed_at, change_bucket, from_role, to_role,
          connection_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],
                            $7::bigint[], $8::text[], $9::text[], $10::text[])
       ON CONFLICT (event_id) DO NOTHING`,
      [
        changes.map((c) => c.eventId),
        changes.map((c) => c.orgId),
        changes.map((c) => c.roomId),
        changes.map((c) => c.conferenceNumber),
        changes.map((c) => c.peerId),
        changes.map((c) => c.changedAt.toISOString()),
        changes.map((c) => changeBucket(c.changedAt)),
        changes.map((c) => c.from),
        changes.map((c) => c.to),
        changes.map((c) => c.connectionId),
      ],
    );
  }

  /**
   * Kept by part id, first report wins: the same part under another event id (a producer's
   * republication) is not counted again. Returns the seconds of the parts inserted now.
   */
  private async insertRecordedParts(tx: EntityManager, parts: RecordedPart[]): Promise<number> {
    if (parts.length === 0) return 0;
    parts.sort((a, b) => compareKeys([a.orgId, a.partId], [b.orgId, b.partId]));
    const inserted: { seconds: number }[] = await tx.query(
      `INSERT INTO recorded_parts
         (org_id, part_id, room_id, recording_id, part_number, started_at, ended_at, day, seconds, interrupted)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::timestamptz[],
                            $7::timestamptz[], $8::date[], $9::int[], $10::boolean[])
       ON CONFLICT (org_id, part_id) DO NOTHING
       RETURNING seconds`,
      [
        parts.map((p) => p.orgId),
        parts.map((p) => p.partId),
        parts.map((p) => p.roomId),
        parts.map((p) => p.recordingId),
        parts.map((p) => p.partNumber),
        parts.map((p) => p.startedAt.toISOString()),
        parts.map((p) => p.endedAt.toISOString()),
        parts.map((p) => p.day),
        parts.map((p) => p.seconds),
        parts.map((p) => p.interrupted),
      ],
    );
    return inserted.reduce((sum, r) => sum + r.seconds, 0);
  }

  private async upsertRoomLives(tx: EntityManager, rooms: RoomLifeChange[]): Promise<void> {
    if (rooms.length === 0) return;
    rooms.sort((a, b) =>
      compareKeys(
        [a.orgId, a.roomId, a.conferenceNumber, a.startedAt.toISOString()],
        [b.orgId, b.roomId, b.conferenceNumber, b.startedAt.toISOString()],
      ),
    );
    const ended: EndedRoomRow[] = (
      await tx.query(
        `INSERT INTO room_lives AS r (org_id, room_id, conference_number, started_at, ended_at, end_reason)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[])
         ON CONFLICT (org_id, room_id, conference_number, started_at) DO UPDATE SET
           ended_at = excluded.ended_at, end_reason = excluded.end_reason
         WHERE r.ended_at IS NULL AND excluded.ended_at IS NOT NULL
         RETURNING org_id, room_id, conference_number, started_at, ended_at`,
        [
          rooms.map((r) => r.orgId),
          rooms.map((r) => r.roomId),
          rooms.map((r) => r.conferenceNumber),
          rooms.map((r) => r.startedAt.toISOString()),
          rooms.map((r) => r.endedAt?.toISOString() ?? null),
          rooms.map((r) => r.endReason),
        ],
      )
    ).filter((r: { ended_at: Date | null }) => r.ended_at !== null);
    for (const room of ended) {
      const change = rooms.find(
        (r) =>
          r.orgId === room.org_id &&
          r.roomId === room.room_id &&
          r.conferenceNumber === room.conference_number &&
          r.startedAt.getTime() === room.started_at.getTime(),
      );
      await this.summarise(tx, room, change?.endedEventId ?? `${room.org_id}/${room.room_id}`);
    }
  }

  /** Publishes, through the outbox and in this transaction, the summary of a life of a room that just ended. */
  private async summarise(tx: EntityManager, room: EndedRoomRow, endedEventId: string): Promise<void> {
    const sessions: { peer_id: string; joined_at: Date; left_at: Date | null }[] = await tx.query(
      `SELECT peer_id, joined_at, left_at FROM peer_sessions
       WHERE org_id = $1 AND room_id = $2 AND conference_number = $3 AND joined_at BETWEEN $4 AND $5`,
      [room.org_id, room.room_id, room.conference_number, room.started_at, room.ended_at],
    );
    const rounded = sessions.map((s) => roundSession(s.joined_at, s.left_at ?? room.ended_at));
    await this.outbox.add(
      tx,
      RoomSummarised,
      buildEvent(RoomSummarised, {
        id: summaryIdOf(endedEventId),
        source: '/confer/stats',
        orgId: room.org_id,
        roomId: room.room_id,
        subject: `rooms/${room.room_id}`,
        data: {
          roomId: room.room_id,
          conferenceNumber: room.conference_number,
          startedAt: room.started_at.toISOString(),
          endedAt: room.ended_at.toISOString(),
          participants: new Set(sessions.map((s) => s.peer_id)).size,
          sessions: sessions.length,
          participantSeconds: rounded.reduce((sum, r) => sum + r.duration, 0),
          peakPeers: peakOf(rounded),
        },
      }),
    );
  }
}

/** The same room.ended always yields the same summary id, so a republication deduplicates. */
export function summaryIdOf(endedEventId: string): string {
  const h = createHash('sha256').update(`room.summarised:${endedEventId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Most sessions present in one bucket. */
export function peakOf(sessions: readonly RoundedSession[]): number {
  const counts = new Map<number, number>();
  let peak = 0;
  for (const s of sessions) {
    for (const t of bucketsOf(s)) {
      const n = (counts.get(t) ?? 0) + 1;
      counts.set(t, n);
      if (n > peak) peak = n;
    }
  }
  return peak;
}

function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}
