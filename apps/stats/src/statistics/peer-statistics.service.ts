import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { STATS_CONFIG, StatsConfig } from '../config/stats.config';
import { activeSeconds, BUCKET_SECONDS, openUntil, RoundedSession } from '../ingestion/attendance-rules';
import { StatsErrors } from '../stats.errors';
import { StatisticsAnswerCache } from './statistics-answer-cache';
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

/** A session as stored: rounded to whole buckets when written (attendance-rules.ts). */
interface SessionRow {
  peer_id: string;
  join_time: number;
  /** Null while open. */
  leave_time: number | null;
}

type Kind = 'sessions' | 'summary';

/**
 * The two Gcore statistics queries over one organisation's sessions. A session belongs to the
 * period when it overlaps it; it is reported whole, in the buckets it was rounded to when
 * written. Answers are the JSON bodies themselves, kept while the room's version holds.
 */
@Injectable()
export class PeerStatistics {
  readonly #cache: StatisticsAnswerCache;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(STATS_CONFIG) config: StatsConfig,
  ) {
    this.#cache = new StatisticsAnswerCache(config.STATS_ANSWER_CACHE_MB * 1024 * 1024);
  }

  /** `{"data":[{person_id, join_time, leave_time, duration}…],"errors":[]}`, in join order. */
  sessionsBody(orgId: string, roomId: string, period: Period, now = new Date()): Promise<string> {
    return this.answer('sessions', orgId, roomId, period, now, (rows, until) =>
      JSON.stringify({ data: rows.map((r) => sessionView(r, until)), errors: [] }),
    );
  }

  /** `{"data":{participants, start_time, end_time, duration},"errors":[]}`. */
  summaryBody(orgId: string, roomId: string, period: Period, now = new Date()): Promise<string> {
    return this.answer('summary', orgId, roomId, period, now, (rows, until) =>
      JSON.stringify({ data: summaryOf(rows, until), errors: [] }),
    );
  }

  private async answer(
    kind: Kind,
    orgId: string,
    roomId: string,
    period: Period,
    now: Date,
    render: (rows: SessionRow[], until: number) => string,
  ): Promise<string> {
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

    const rows = await this.load(orgId, roomId, period);
    if (rows.length === 0) throw StatsErrors.noData({ room_id: roomId });
    const body = render(rows, until);
    const open = rows.some((r) => r.leave_time === null);
    this.#cache.set(key, room.version, open ? until : null, body);
    return body;
  }

  private load(orgId: string, roomId: string, period: Period): Promise<SessionRow[]> {
    // float8: plain numbers from the driver, no parsing per row.
    return this.dataSource.query(
      `SELECT peer_id, join_time::float8 AS join_time, leave_time::float8 AS leave_time
       FROM peer_sessions
       WHERE org_id = $1 AND room_id = $2 AND joined_at <= $4 AND (left_at IS NULL OR left_at >= $3)
       ORDER BY joined_at, connection_id`,
      [orgId, roomId, period.from, period.to],
    );
  }
}

/** An open session lasts, so far, until the end of the bucket holding now (and at least one bucket). */
function rounded(r: SessionRow, until: number): RoundedSession {
  const leaveTime = r.leave_time ?? Math.max(r.join_time + BUCKET_SECONDS, until);
  return { joinTime: r.join_time, leaveTime, duration: leaveTime - r.join_time };
}

function sessionView(r: SessionRow, until: number): PeerSessionView {
  const s = rounded(r, until);
  return { person_id: r.peer_id, join_time: s.joinTime, leave_time: r.leave_time, duration: s.duration };
}

function summaryOf(rows: SessionRow[], until: number): RoomSummaryView {
  const sessions = rows.map((r) => rounded(r, until));
  let start = Infinity;
  let end = -Infinity;
  for (const s of sessions) {
    if (s.joinTime < start) start = s.joinTime;
    if (s.leaveTime > end) end = s.leaveTime;
  }
  return {
    participants: new Set(rows.map((r) => r.peer_id)).size,
    start_time: start,
    end_time: end,
    duration: activeSeconds(sessions),
  };
}
