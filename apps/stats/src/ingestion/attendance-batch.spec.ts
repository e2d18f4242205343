import { buildEvent, PeerJoinRefused, PeerRoleChanged, RecordingPartCompleted } from '@confer/contracts';
import { foldAttendance } from './attendance-batch';

const refused = (reason: string) =>
  buildEvent(PeerJoinRefused, {
    source: '/confer/rooms',
    orgId: 'org_1',
    roomId: 'r1',
    data: { roomId: 'r1', reason, face: 'call', at: '2026-11-24T17:00:00.000Z' },
  });

const roleChange = (connectionId?: string) =>
  buildEvent(PeerRoleChanged, {
    source: '/confer/rooms',
    orgId: 'org_1',
    roomId: 'r1',
    time: new Date('2026-11-24T17:00:10.000Z'),
    data: {
      roomId: 'r1',
      conferenceNumber: '12345678',
      peerId: 'p1',
      ...(connectionId ? { connectionId } : {}),
      from: 'viewer',
      to: 'speaker',
    },
  });

const partCompleted = (partId: string, durationSeconds: number, startedAt = '2026-11-24T23:50:00.000Z') =>
  buildEvent(RecordingPartCompleted, {
    source: '/confer/recording',
    orgId: 'org_1',
    roomId: 'r1',
    data: {
      recordingId: 'rec_1',
      roomId: 'r1',
      partId,
      partNumber: 1,
      startedAt,
      endedAt: new Date(new Date(startedAt).getTime() + durationSeconds * 1000).toISOString(),
      durationSeconds,
      interrupted: false,
    },
  });

describe('foldAttendance', () => {
  it('counts refused joins by reason and makes no session of them', () => {
    const batch = foldAttendance([refused('room_full'), refused('room_full'), refused('room_locked')]);
    expect([...batch.refusalsByReason]).toEqual([
      ['room_full', 2],
      ['room_locked', 1],
    ]);
    expect(batch.sessions).toEqual([]);
    expect(batch.joins).toBe(0);
  });

  it("keeps a role change's connection when the event names it, and none for older events", () => {
    const batch = foldAttendance([roleChange('c_1'), roleChange()]);
    expect(batch.roleChanges.map((c) => c.connectionId)).toEqual(['c_1', null]);
    expect(batch.roleChanges[0].changedAt.toISOString()).toBe('2026-11-24T17:00:10.000Z');
  });

  it('keeps one recorded part per part id, in whole seconds on the day it started', () => {
    const first = partCompleted('part_1', 1199.4);
    // The same part again under another event id (a producer's republication): still one part.
    const again = partCompleted('part_1', 1199.4);
    const batch = foldAttendance([first, again, partCompleted('part_2', 30)]);
    expect(batch.recordedParts.map((p) => [p.partId, p.seconds, p.day])).toEqual([
      ['part_1', 1200, '2026-11-24'],
      ['part_2', 30, '2026-11-24'],
    ]);
    expect(batch.sessions).toEqual([]);
  });
});
