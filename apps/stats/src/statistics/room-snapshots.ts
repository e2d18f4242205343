import { activeSeconds, BUCKET_SECONDS, RoundedSession } from '../ingestion/attendance-rules';

/** A session as kept in memory: raw times for the period filter, rounded ones for the answer. */
export interface SnapshotSession {
  /** Epoch milliseconds. */
  joinedAt: number;
  leftAt: number | null;
  peerId: string;
  /** Unix seconds, whole buckets (attendance-rules.ts); leaveTime null while open. */
  joinTime: number;
  leaveTime: number | null;
  /** `{"person_id":…,"join_time":…,` written once. */
  head: string;
  /** The whole row, written once, for a closed session (an open one's duration grows). */
  row?: string;
}

interface Snapshot {
  version: string;
  /** In join order; null when the room has more sessions than one snapshot may hold. */
  sessions: SnapshotSession[] | null;
}

/**
 * Every session of a room, in join order, as of one version of the room: any period of an
 * unchanged room is then answered from memory. Bounded in sessions over all rooms; a room
 * larger than a snapshot may hold is answered by PostgreSQL each time instead.
 */
export class RoomSnapshots {
  readonly #rooms = new Map<string, Snapshot>();
  #sessions = 0;

  constructor(
    readonly maxPerRoom: number,
    private readonly maxTotal: number,
  ) {}

  /** The room's snapshot at this version: its sessions, null if too large, undefined if not kept. */
  get(room: string, version: string): SnapshotSession[] | null | undefined {
    const snapshot = this.#rooms.get(room);
    if (!snapshot) return undefined;
    this.#rooms.delete(room);
    if (snapshot.version !== version) {
      this.#sessions -= snapshot.sessions?.length ?? 0;
      return undefined;
    }
    this.#rooms.set(room, snapshot); // most recently used last
    return snapshot.sessions;
  }

  set(room: string, version: string, sessions: SnapshotSession[] | null): void {
    const previous = this.#rooms.get(room);
    if (previous) {
      this.#rooms.delete(room);
      this.#sessions -= previous.sessions?.length ?? 0;
    }
    this.#rooms.set(room, { version, sessions });
    this.#sessions += sessions?.length ?? 0;
    for (const [oldest, snapshot] of this.#rooms) {
      if (this.#sessions <= this.maxTotal) break;
      this.#rooms.delete(oldest);
      this.#sessions -= snapshot.sessions?.length ?? 0;
    }
  }
}

/** The sessions overlapping the period, as the Gcore queries select them: join ≤ to, and leave ≥ from or open. */
export function overlapping(sessions: SnapshotSession[], from: Date, to: Date): SnapshotSession[] {
  const [fromMs, toMs] = [from.getTime(), to.getTime()];
  return sessions.filter((s) => s.joinedAt <= toMs && (s.leftAt === null || s.leftAt >= fromMs));
}

/** An open session lasts, so far, until the end of the bucket holding now, and at least one bucket. */
function leaveOf(s: SnapshotSession, until: number): number {
  return s.leaveTime ?? Math.max(s.joinTime + BUCKET_SECONDS, until);
}

/** One row of the sessions list. */
export function rowOf(s: SnapshotSession, until: number): string {
  return `${s.head}"leave_time":${s.leaveTime ?? 'null'},"duration":${leaveOf(s, until) - s.joinTime}}`;
}

export function sessionsJson(sessions: SnapshotSession[], until: number): string {
  const rows = sessions.map((s) => s.row ?? rowOf(s, until));
  return `{"data":[${rows.join(',')}],"errors":[]}`;
}

export function summaryJson(sessions: SnapshotSession[], until: number): string {
  const rounded: RoundedSession[] = sessions.map((s) => {
    const leaveTime = leaveOf(s, until);
    return { joinTime: s.joinTime, leaveTime, duration: leaveTime - s.joinTime };
  });
  let start = Infinity;
  let end = -Infinity;
  for (const r of rounded) {
    if (r.joinTime < start) start = r.joinTime;
    if (r.leaveTime > end) end = r.leaveTime;
  }
  const data = {
    participants: new Set(sessions.map((s) => s.peerId)).size,
    start_time: start,
    end_time: end,
    duration: activeSeconds(rounded),
  };
  return JSON.stringify({ data, errors: [] });
}
