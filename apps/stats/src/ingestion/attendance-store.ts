import { Injectable } from '@nestjs/common';
import { createHash } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import { buildEvent, RoomSummarised } from '@confer/contracts';
import { OutboxWriter } from '@confer/outbox';
import { AttendanceEvent, isAttendanceEvent } from './attendance-events';
import { AttendanceBatch, foldAttendance, RoomLifeChange, SessionChange } from './attendance-batch';
import { BUCKET_SECONDS, bucketsOf, isViewer, roundSession, RoundedSession } from './attendance-rules';

export interface AppliedBatch {
  /** Events seen for the first time (the rest were redeliveries or replays). */
  fresh: number;
  duplicates: number;
  batch: AttendanceBatch;
}

interface ClosedSessionRow {
  org_id: string;
  room_id: string;
  role: string;
  joined_at: Date;
  left_at: Date;
}

interface EndedRoomRow {
  org_id: string;
  room_id: string;
  conference_number: string;
  started_at: Date;
  ended_at: Date;
}

/**
 * Applies events to sessions, buckets and room lives with a few set-based statements in one
 * transaction, together with the record of their ids. Every statement is written so that the
 * result does not depend on the order events arrive in.
 */
@Injectable()
export class AttendanceStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  apply(events: readonly { id: string; type: string }[]): Promise<AppliedBatch> {
    return this.dataSource.transaction(async (tx) => {
      const ids = [...new Set(events.map((e) => e.id))];
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
      const closed = await this.upsertSessions(tx, batch.sessions);
      await this.addToBuckets(tx, closed);
      await this.upsertRoomLives(tx, batch.rooms);
      return { fresh: fresh.size, duplicates: events.length - fresh.size, batch };
    });
  }

  /** Returns the sessions this batch closed: inserted with their leave, or open until now. */
  private async upsertSessions(tx: EntityManager, sessions: SessionChange[]): Promise<ClosedSessionRow[]> {
    if (sessions.length === 0) return [];
    sessions.sort((a, b) =>
      compareKeys([a.orgId, a.roomId, a.connectionId], [b.orgId, b.roomId, b.connectionId]),
    );
    const rows: (ClosedSessionRow | { left_at: null })[] = await tx.query(
      `INSERT INTO peer_sessions AS s
         (org_id, room_id, connection_id, peer_id, conference_number, role, face, joined_at, left_at, leave_reason)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::timestamptz[], $9::timestamptz[], $10::text[])
       ON CONFLICT (org_id, room_id, connection_id) DO UPDATE SET
         peer_id = excluded.peer_id, conference_number = excluded.conference_number, role = excluded.role,
         face = excluded.face, joined_at = excluded.joined_at, left_at = excluded.left_at,
         leave_reason = excluded.leave_reason
       WHERE s.left_at IS NULL AND excluded.left_at IS NOT NULL
       RETURNING org_id, room_id, role, joined_at, left_at`,
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
      ],
    );
    return rows.filter((r): r is ClosedSessionRow => r.left_at !== null);
  }

  /** Adds each newly closed session to every bucket it is present in (attendance-rules.ts). */
  private async addToBuckets(tx: EntityManager, closed: ClosedSessionRow[]): Promise<void> {
    if (closed.length === 0) return;
    const rounded = closed.map((c) => roundSession(c.joined_at, c.left_at));
    await tx.query(
      `INSERT INTO room_buckets AS b (org_id, room_id, bucket_start, peers, speakers, viewers, participant_seconds)
       SELECT c.org_id, c.room_id, to_timestamp(t), count(*), count(*) FILTER (WHERE NOT c.viewer),
              count(*) FILTER (WHERE c.viewer), count(*) * ${BUCKET_SECONDS}
       FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::boolean[])
              AS c(org_id, room_id, first_start, end_time, viewer)
       CROSS JOIN LATERAL generate_series(c.first_start, c.end_time - ${BUCKET_SECONDS}, ${BUCKET_SECONDS}) AS t
       GROUP BY 1, 2, 3
       ORDER BY 1, 2, 3
       ON CONFLICT (org_id, room_id, bucket_start) DO UPDATE SET
         peers = b.peers + excluded.peers, speakers = b.speakers + excluded.speakers,
         viewers = b.viewers + excluded.viewers,
         participant_seconds = b.participant_seconds + excluded.participant_seconds`,
      [
        closed.map((c) => c.org_id),
        closed.map((c) => c.room_id),
        rounded.map((r) => r.joinTime),
        rounded.map((r) => r.leaveTime),
        closed.map((c) => isViewer(c.role)),
      ],
    );
  }

  private async upsertRoomLives(tx: EntityManager, rooms: RoomLifeChange[]): Promise<void> {
    if (rooms.length === 0) return;
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
