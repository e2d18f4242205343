import { buildEvent, parseEvent, subjectOf } from './define-event';
import { PeerJoined, PeerLeft } from './room.events';
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
});
