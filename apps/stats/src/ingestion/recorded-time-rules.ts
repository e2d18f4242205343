/**
 * How recorded time counts in an organisation's usage (docs/stats.md, "Recorded time"). A
 * recording is stored in parts; each completed part counts once, with the duration the
 * recording service measured on its files (an interrupted part counts what was kept).
 */

/**
 * Whole seconds of a part, rounded up (like participant time, never rounded down): 59.2 s
 * counts 60, a part of no length counts 0. Durations are read to the millisecond first, so
 * binary noise (60.000000001) does not add a second.
 */
export function recordedSecondsOf(durationSeconds: number): number {
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) return 0;
  return Math.ceil(Math.round(durationSeconds * 1000) / 1000);
}

/**
 * The UTC day (YYYY-MM-DD) a part counts on: the day its recording started. A part that runs
 * past midnight counts whole on the day it started, so a part is never split between days.
 */
export function recordingDayOf(startedAt: Date): string {
  return startedAt.toISOString().slice(0, 10);
}
