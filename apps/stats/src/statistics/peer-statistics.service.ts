import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'crypto';
import { DataSource } from 'typeorm';
import { STATS_CONFIG, StatsConfig } from '../config/stats.config';
import { activeSeconds, BUCKET_SECONDS, openUntil, RoundedSession } from '../ingestion/attendance-rules';
import { StatsErrors } from '../stats.errors';
import { KeptAnswer, StatisticsAnswerCache } from './statistics-answer-cache';
import {
  overlapping,
  RoomSnapshots,
  rowOf,
  sessionsJson,
  SnapshotSession,
  summaryJson,
} from './room-snapshots';
import { Period } from './statistics-period';

/** One session as the Gcore statistics API shows it; times in Unix seconds, whole buckets. */
export interface PeerSessionView {
  person_id: string;
  join_time: number;
  /** Null while the peer is still in the room. */
  leave_time: number | null;
  duration: number;
}

export interface RoomSummaryView {
  participants: number;
  start_time: number;
  end_time: number;
  duration: number;
}

/**
 * A session overlaps the period (its raw times, as Gcore describes); it is reported in the
 * whole buckets it was rounded to when written (attendance-rules.ts). An open one lasts, so
 * far, until the end of the bucket holding now ($5, openUntil) and at least one bucket.
 */
const IN_PERIOD = `org_id = $1 AND room_id = $2 AND joined_at <= $4 AND (left_at IS NULL OR left_at >= $3)`;

type Kind = 'sessions' | 'summary';

/**
 * The two Gcore statistics queries over one organisation's sessions. Answers are the JSON
 * bodies themselves, kept while the room's version holds.
 */
@Injectable()
export class PeerStatistics {
  readonly #cache: StatisticsAnswerCache;
  readonly #snapshots: RoomSnapshots;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(STATS_CONFIG) config: StatsConfig,
  ) {
    this.#cache = new StatisticsAnswerCache(config.STATS_ANSWER_CACHE_MB * 1024 * 1024);
    this.#snapshots = new RoomSnapshots(
      config.STATS_ROOM_SNAPSHOT_SESSIONS,
      config.STATS_ROOM_SNAPSHOT_SESSIONS * 10,
    );
  }

  /**
   * `{"data":[{person_id, join_time, leave_time, duration}…],"errors":[]}`, in join order. The
   * rows are written out by PostgreSQL: 10,000 sessions are one string to pass on, not 10,000
   * rows to parse and serialise again.
   */
  sessionsBody(orgId: string, roomId: string, period: Period, now = new Date()): Promise<KeptAnswer> {
    return this.answer('sessions', orgId, roomId, period, now, async (until) => {
      const [row]: { n: number; open: boolean; rows: string | null }[] = await this.dataSource.query(
        `SELECT count(*)::int AS n, bool_or(leave_time IS NULL) AS open,
                string_agg('{"person_id":' || person_json || ',"join_time":' || join_time
                           || ',"leave_time":' || coalesce(leave_time::text, 'null')
                           || ',"duration":' || (coalesce(leave_time, greatest(join_time + ${BUCKET_SECONDS}, $5)) - join_time)
                           || '}', ',' ORDER BY joined_at, connection_id) AS rows
         FROM peer_sessions
         WHERE ${IN_PERIOD}`,
        [orgId, roomId, period.from, period.to, until],
      );
      return { sessions: row.n, open: row.open, body: `{"data":[${row.rows ?? ''}],"errors":[]}` };
    });
  }

  /**
   * `{"data":{participants, start_time, end_time, duration},"errors":[]}`. PostgreSQL counts the
   * distinct peers and hands over the sessions' buckets as one string of numbers; the active
   * time is then measured by the counting rule's own function.
   */
  summaryBody(orgId: string, roomId: string, period: Period, now = new Date()): Promise<KeptAnswer> {
    return this.answer('summary', orgId, roomId, period, now, async (until) => {
      const [row]: { n: number; open: boolean; participants: number; spans: string | null }[] =
        await this.dataSource.query(
          `SELECT count(*)::int AS n, bool_or(leave_time IS NULL) AS open,
                  count(DISTINCT peer_id)::int AS participants,
                  string_agg(join_time || ' ' || coalesce(leave_time, greatest(join_time + ${BUCKET_SECONDS}, $5)), ' ')
                    AS spans
           FROM peer_sessions WHERE ${IN_PERIOD}`,
          [orgId, roomId, period.from, period.to, until],
        );
      const numbers = (row.spans ?? '').split(' ').map(Number);
      const sessions: RoundedSession[] = [];
      let start = Infinity;
      let end = -Infinity;
      for (let i = 0; i + 1 < numbers.length; i += 2) {
        const [joinTime, leaveTime] = [numbers[i], numbers[i + 1]];
        sessions.push({ joinTime, leaveTime, duration: leaveTime - joinTime });
        if (joinTime < start) start = joinTime;
        if (leaveTime > end) end = leaveTime;
      }
      const data: RoomSummaryView = {
        participants: row.participants,
        start_time: start,
        end_time: end,
        duration: activeSeconds(sessions),
      };
      return { sessions: row.n, open: row.open, body: JSON.stringify({ data, errors: [] }) };
    });
  }

  private async answer(
    kind: Kind,
    orgId: string,
    roomId: string,
    period: Period,
    now: Date,
    render: (until: number) => Promise<{ sessions: number; open: boolean | null; body: string }>,
  ): Promise<KeptAnswer> {
    const until = openUntil(now);
    // Read before the sessions: an answer is never older than the version it is kept under.
    const [room]: { version: string }[] = await this.dataSource.query(
      `SELECT version::text AS version FROM room_versions WHERE org_id = $1 AND room_id = $2`,
      [orgId, roomId],
    );
    // Another organisation's room, and a room never seen, are both "no data".
    if (!room) throw StatsErrors.noData({ room_id: roomId });
    const key = [kind, orgId, roomId, period.from.getTime(), period.to.getTime()].join('\u0000');
    const kept = this.#cache.get(key, room.version, until);
    if (kept !== undefined) return kept;

    const answer =
      (await this.fromSnapshot(kind, orgId, roomId, room.version, period, until)) ?? (await render(until));
    if (answer.sessions === 0) throw StatsErrors.noData({ room_id: roomId });
    const validUntil = answer.open ? until : null;
    // Named by what it was computed from, so sending it needs no hash over its bytes.
    const etag = `"${createHash('sha1').update(`${key}\u0000${room.version}\u0000${validUntil}`).digest('base64url')}"`;
    const fresh = { body: Buffer.from(answer.body), etag };
    this.#cache.set(key, room.version, validUntil, fresh);
    return fresh;
  }

  /**
   * The answer from the room's sessions kept in memory at this version (loaded once per
   * version); undefined when the room is too large to keep, and PostgreSQL answers instead.
   */
  private async fromSnapshot(
    kind: Kind,
    orgId: string,
    roomId: string,
    version: string,
    period: Period,
    until: number,
  ): Promise<{ sessions: number; open: boolean; body: string } | undefined> {
    const room = `${orgId}\u0000${roomId}`;
    let all = this.#snapshots.get(room, version);
    if (all === undefined) {
      all = await this.loadSnapshot(orgId, roomId);
      this.#snapshots.set(room, version, all);
    }
    if (all === null) return undefined;
    const sessions = overlapping(all, period.from, period.to);
    return {
      sessions: sessions.length,
      open: sessions.some((s) => s.leaveTime === null),
      body: kind === 'sessions' ? sessionsJson(sessions, until) : summaryJson(sessions, until),
    };
  }

  /** Every session of the room in join order, or null when there are more than a snapshot holds. */
  private async loadSnapshot(orgId: string, roomId: string): Promise<SnapshotSession[] | null> {
    const rows: Array<{
      peer_id: string;
      person_json: string;
      join_time: number;
      leave_time: number | null;
      joined_ms: number;
      left_ms: number | null;
    }> = await this.dataSource.query(
      `SELECT peer_id, person_json, join_time::float8 AS join_time, leave_time::float8 AS leave_time,
              (extract(epoch FROM joined_at) * 1000)::float8 AS joined_ms,
              (extract(epoch FROM left_at) * 1000)::float8 AS left_ms
       FROM peer_sessions WHERE org_id = $1 AND room_id = $2
       ORDER BY joined_at, connection_id
       LIMIT $3`,
      [orgId, roomId, this.#snapshots.maxPerRoom + 1],
    );
    if (rows.length > this.#snapshots.maxPerRoom) return null;
    return rows.map((r) => {
      const session: SnapshotSession = {
        joinedAt: r.joined_ms,
        leftAt: r.left_ms,
        peerId: r.peer_id,
        joinTime: r.join_time,
        leaveTime: r.leave_time,
        head: `{"person_id":${r.person_json},"join_time":${r.join_time},`,
      };
      // A closed session's row never changes: written once for every answer that lists it.
      if (r.leave_time !== null) session.row = rowOf(session, 0);
      return session;
    });
  }
}
