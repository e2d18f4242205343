import { activeSeconds, bucketStart, bucketsOf, roundSession } from './attendance-rules';

const at = (iso: string) => new Date(iso);

describe('attendance rules (30-second buckets)', () => {
  it('puts an instant in the bucket that starts at or before it', () => {
    expect(bucketStart(at('2021-06-21T10:00:00.000Z'))).toBe(1624269600);
    expect(bucketStart(at('2021-06-21T10:00:29.999Z'))).toBe(1624269600);
    expect(bucketStart(at('2021-06-21T10:00:30.000Z'))).toBe(1624269630);
  });

  it('rounds a join down and a leave up to whole buckets', () => {
    expect(roundSession(at('2021-06-21T10:00:10Z'), at('2021-06-21T10:01:05Z'))).toEqual({
      joinTime: 1624269600,
      leaveTime: 1624269690,
      duration: 90,
    });
  });

  it('does not count the next bucket for a leave exactly on its boundary', () => {
    expect(roundSession(at('2021-06-21T10:00:00Z'), at('2021-06-21T10:01:00Z')).duration).toBe(60);
  });

  it('counts a session shorter than a bucket, or of no length at all, as one bucket', () => {
    expect(roundSession(at('2021-06-21T10:00:05Z'), at('2021-06-21T10:00:06Z')).duration).toBe(30);
    expect(roundSession(at('2021-06-21T10:00:00Z'), at('2021-06-21T10:00:00Z')).duration).toBe(30);
  });

  it('counts a session crossing a boundary by a millisecond in both buckets', () => {
    expect(roundSession(at('2021-06-21T10:00:29.999Z'), at('2021-06-21T10:00:30.001Z')).duration).toBe(60);
  });

  it('treats a leave before its join (clock skew) as a leave at the join', () => {
    expect(roundSession(at('2021-06-21T10:00:40Z'), at('2021-06-21T10:00:10Z')).duration).toBe(30);
  });

  it('lists the buckets a session is present in, and their count times 30 is its duration', () => {
    const s = roundSession(at('2021-06-21T10:00:10Z'), at('2021-06-21T10:01:05Z'));
    expect(bucketsOf(s)).toEqual([1624269600, 1624269630, 1624269660]);
    expect(bucketsOf(s).length * 30).toBe(s.duration);
  });

  it('measures the active time of a room as the union of its sessions', () => {
    const a = { joinTime: 0, leaveTime: 300, duration: 300 };
    const b = { joinTime: 120, leaveTime: 600, duration: 480 };
    const c = { joinTime: 3600, leaveTime: 3900, duration: 300 };
    expect(activeSeconds([c, a, b])).toBe(900);
    expect(activeSeconds([])).toBe(0);
  });
});
