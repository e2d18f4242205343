/**
 * The one counting rule of the stats service (docs/stats.md). Time is cut into 30-second
 * buckets aligned on the Unix epoch. A session is present in every bucket its [join, leave)
 * interval overlaps, and at least in the bucket of its join: its join time rounds down to
 * the start of its first bucket, its leave time up to the end of its last, and its
 * duration is 30 s × the buckets it is present in. Sessions, buckets, summaries and usage
 * all go through these functions, so they can never disagree.
 */
export const BUCKET_SECONDS = 30;
const BUCKET_MS = BUCKET_SECONDS * 1000;

/** A session measured in whole buckets: Unix seconds, multiples of 30. */
export interface RoundedSession {
  joinTime: number;
  leaveTime: number;
  duration: number;
}

/** Start (Unix seconds) of the bucket that holds this instant. */
export function bucketStart(at: Date | number): number {
  const ms = typeof at === 'number' ? at : at.getTime();
  return Math.floor(ms / BUCKET_MS) * BUCKET_SECONDS;
}

/** The session's buckets: the first starts at the join, the last ends at or after the leave. */
export function roundSession(joinedAt: Date | number, leftAt: Date | number): RoundedSession {
  const joinMs = typeof joinedAt === 'number' ? joinedAt : joinedAt.getTime();
  const leaveMs = Math.max(joinMs, typeof leftAt === 'number' ? leftAt : leftAt.getTime());
  const joinTime = bucketStart(joinMs);
  const leaveTime = Math.max(joinTime + BUCKET_SECONDS, Math.ceil(leaveMs / BUCKET_MS) * BUCKET_SECONDS);
  return { joinTime, leaveTime, duration: leaveTime - joinTime };
}

/**
 * Where a session still open at `now` ends so far: the end of the bucket holding `now` (now
 * itself on a boundary). Its rounded leave is the later of this and the end of its first bucket.
 */
export function openUntil(now: Date | number): number {
  const ms = typeof now === 'number' ? now : now.getTime();
  return Math.ceil(ms / BUCKET_MS) * BUCKET_SECONDS;
}

/**
 * A role change counts from the bucket it happens in: a bucket counts a session under the
 * last role it held in that bucket.
 */
export function changeBucket(changedAt: Date | number): number {
  return bucketStart(changedAt);
}

/** The first and last start (Unix seconds) of the buckets that start in [from, to); last < first when none. */
export function bucketsStartingIn(period: { from: Date; to: Date }): { first: number; last: number } {
  return {
    first: Math.ceil(period.from.getTime() / BUCKET_MS) * BUCKET_SECONDS,
    last: (Math.ceil(period.to.getTime() / BUCKET_MS) - 1) * BUCKET_SECONDS,
  };
}

/** Starts (Unix seconds) of every bucket a rounded session is present in. */
export function bucketsOf(session: RoundedSession): number[] {
  const starts: number[] = [];
  for (let t = session.joinTime; t < session.leaveTime; t += BUCKET_SECONDS) starts.push(t);
  return starts;
}

/**
 * Seconds in which at least one of the sessions was present: the length of the union of
 * their bucket ranges. Equals end − start while the room was never empty in between.
 */
export function activeSeconds(sessions: readonly RoundedSession[]): number {
  const sorted = [...sessions].sort((a, b) => a.joinTime - b.joinTime);
  let total = 0;
  let start = -Infinity;
  let end = -Infinity;
  for (const s of sorted) {
    if (s.joinTime > end) {
      if (end > start) total += end - start;
      start = s.joinTime;
      end = s.leaveTime;
    } else if (s.leaveTime > end) {
      end = s.leaveTime;
    }
  }
  if (end > start) total += end - start;
  return total;
}

/** Webinar viewers watch; every other role may speak. */
export function isViewer(role: string): boolean {
  return role === 'viewer';
}
