import { buildEvent, PeerJoinRefused, PeerRoleChanged } from '@confer/contracts';
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
});
