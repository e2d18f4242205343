import { overlapping, RoomSnapshots, sessionsJson, SnapshotSession, summaryJson } from './room-snapshots';

const at = (iso: string) => Date.parse(iso);
const session = (
  peerId: string,
  joined: string,
  left: string | null,
  joinTime: number,
  leaveTime: number | null,
) =>
  ({
    joinedAt: at(joined),
    leftAt: left ? at(left) : null,
    peerId,
    joinTime,
    leaveTime,
    head: `{"person_id":${JSON.stringify(peerId)},"join_time":${joinTime},`,
  }) satisfies SnapshotSession;

// 2021-06-21T10:00:00Z is 1624269600.
const a = session('a', '2021-06-21T10:00:10Z', '2021-06-21T10:01:05Z', 1624269600, 1624269690);
const b = session('b', '2021-06-21T10:05:00Z', null, 1624269900, null);

describe('room snapshots', () => {
  it('selects the sessions overlapping a period by their raw times', () => {
    expect(overlapping([a, b], new Date('2021-06-21T10:01:05Z'), new Date('2021-06-21T10:04:00Z'))).toEqual([
      a,
    ]);
    expect(overlapping([a, b], new Date('2021-06-21T10:01:06Z'), new Date('2021-06-21T10:05:00Z'))).toEqual([
      b,
    ]);
    expect(overlapping([a, b], new Date('2021-06-21T09:00:00Z'), new Date('2021-06-21T10:00:09Z'))).toEqual(
      [],
    );
  });

  it('writes the Gcore rows, an open session lasting until the end of the current bucket', () => {
    expect(JSON.parse(sessionsJson([a, b], 1624270020))).toEqual({
      data: [
        { person_id: 'a', join_time: 1624269600, leave_time: 1624269690, duration: 90 },
        { person_id: 'b', join_time: 1624269900, leave_time: null, duration: 120 },
      ],
      errors: [],
    });
    expect(JSON.parse(summaryJson([a, b], 1624270020))).toEqual({
      data: { participants: 2, start_time: 1624269600, end_time: 1624270020, duration: 210 },
      errors: [],
    });
  });

  it('keeps a room at one version only, and drops the least recently used rooms beyond the total', () => {
    const snapshots = new RoomSnapshots(2, 3);
    snapshots.set('r1', '1', [a, b]);
    expect(snapshots.get('r1', '1')).toEqual([a, b]);
    expect(snapshots.get('r1', '2')).toBeUndefined();
    snapshots.set('r1', '2', [a]);
    snapshots.set('r2', '1', [a, b]);
    snapshots.set('big', '1', null);
    expect(snapshots.get('big', '1')).toBeNull();
    snapshots.set('r3', '1', [b]); // 4 sessions kept: r1 (least recent) goes
    expect(snapshots.get('r1', '2')).toBeUndefined();
    expect(snapshots.get('r2', '1')).toEqual([a, b]);
    expect(snapshots.get('r3', '1')).toEqual([b]);
  });
});
