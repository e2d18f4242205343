import { buildEvent, parseEvent, subjectOf } from './define-event';
import { PeerJoined, PeerJoinRefused, PeerLeft, PeerRoleChanged } from './room.events';
import { SchemaViolation } from '../schema';

const joined = {
  roomId: 'serv0consult-42',
  conferenceNumber: '12345678',
  peerId: 'dr-who',
  connectionId: 'c_1',
  role: 'moderator' as const,
  face: 'call' as const,
  joinedAt: '2026-11-24T17:00:00.000Z',
};

describe('room event contracts', () => {
  it('build an envelope on the room subject that consumers can parse back', () => {
    const event = buildEvent(PeerJoined, {
      source: '/confer/rooms',
      orgId: 'org_1',
      roomId: joined.roomId,
      data: joined,
    });
    expect(subjectOf(PeerJoined, event)).toBe('confer.evt.org_1.serv0consult-42.peer.joined.v1');
    expect(parseEvent(PeerJoined, JSON.parse(JSON.stringify(event))).data).toEqual(joined);
  });

  it('refuse a leave without a known reason or a malformed conference number', () => {
    const left = { ...joined, leftAt: joined.joinedAt, reason: 'vanished' };
    expect(() =>
      buildEvent(PeerLeft, { source: '/confer/rooms', orgId: 'org_1', data: left as never }),
    ).toThrow(SchemaViolation);
    expect(() =>
      buildEvent(PeerJoined, {
        source: '/confer/rooms',
        orgId: 'org_1',
        data: { ...joined, conferenceNumber: '123' },
      }),
    ).toThrow(/conferenceNumber/);
  });

  it('tolerate fields a newer producer added', () => {
    const event = buildEvent(PeerJoined, { source: '/confer/rooms', orgId: 'org_1', data: joined });
    const newer = { ...event, data: { ...event.data, network: 'wifi' }, extension: 1 };
    expect(parseEvent(PeerJoined, newer).data).toMatchObject(joined);
  });

  it('carry a join refusal with its stable reason, and refuse a reason that is not a code', () => {
    const refusal = {
      roomId: 'r1',
      peerId: 'p1',
      reason: 'room_full',
      face: 'call' as const,
      at: joined.joinedAt,
    };
    const event = buildEvent(PeerJoinRefused, {
      source: '/confer/rooms',
      orgId: 'org_1',
      roomId: 'r1',
      data: refusal,
    });
    expect(subjectOf(PeerJoinRefused, event)).toBe('confer.evt.org_1.r1.peer.join-refused.v1');
    expect(parseEvent(PeerJoinRefused, JSON.parse(JSON.stringify(event))).data).toEqual(refusal);
    expect(() =>
      buildEvent(PeerJoinRefused, {
        source: '/confer/rooms',
        orgId: 'org_1',
        data: { ...refusal, reason: 'Room Full!' },
      }),
    ).toThrow(SchemaViolation);
  });

  it('accept a role change with or without its connection id', () => {
    const change = {
      roomId: 'r1',
      conferenceNumber: '12345678',
      peerId: 'p1',
      from: 'viewer' as const,
      to: 'speaker' as const,
    };
    for (const data of [change, { ...change, connectionId: 'c_1' }]) {
      const event = buildEvent(PeerRoleChanged, { source: '/confer/rooms', orgId: 'org_1', data });
      expect(parseEvent(PeerRoleChanged, JSON.parse(JSON.stringify(event))).data).toEqual(data);
    }
  });
});
