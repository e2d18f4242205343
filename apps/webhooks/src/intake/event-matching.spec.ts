import type { Subscription } from '../subscriptions/subscription';
import { subscriptionMatches, targetsFor } from './event-matching';
import { gcoreCallbackFor } from './gcore-callbacks';

const now = new Date('2026-11-24T18:00:00Z');
const sub = (over: Partial<Subscription>): Subscription => ({
  id: 'sub',
  orgId: 'org_a',
  kind: 'native',
  roomId: null,
  endpoint: 'https://hooks.example.com/a',
  eventTypes: null,
  signingSecret: null,
  status: 'active',
  disabledReason: null,
  expiresAt: null,
  createdAt: now,
  updatedAt: now,
  ...over,
});
const event = { id: 'e1', type: 'io.confer.peer.joined', orgid: 'org_a', roomid: 'room1' };

describe('event matching', () => {
  it('takes the organisation, room, type filter, status and expiry into account', () => {
    expect(subscriptionMatches(sub({}), event, now)).toBe(true);
    expect(subscriptionMatches(sub({ orgId: 'org_b' }), event, now)).toBe(false);
    expect(subscriptionMatches(sub({ roomId: 'room1' }), event, now)).toBe(true);
    expect(subscriptionMatches(sub({ roomId: 'room2' }), event, now)).toBe(false);
    expect(subscriptionMatches(sub({ eventTypes: ['peer.joined'] }), event, now)).toBe(true);
    expect(subscriptionMatches(sub({ eventTypes: ['peer.left'] }), event, now)).toBe(false);
    expect(subscriptionMatches(sub({ status: 'disabled' }), event, now)).toBe(false);
    expect(subscriptionMatches(sub({ expiresAt: new Date(now.getTime() - 1) }), event, now)).toBe(false);
    expect(subscriptionMatches(sub({ expiresAt: new Date(now.getTime() + 1000) }), event, now)).toBe(true);
  });

  it('gives one target per endpoint, naming every subscription behind it', () => {
    const targets = targetsFor(
      [
        sub({ id: 's1' }),
        sub({ id: 's2', kind: 'glayr', roomId: 'room1' }),
        sub({ id: 's3', endpoint: 'https://other.example.com' }),
        sub({ id: 's4', roomId: 'room9' }),
      ],
      event,
      now,
    );
    expect(targets).toEqual([
      { endpoint: 'https://hooks.example.com/a', subscriptionIds: ['s1', 's2'] },
      { endpoint: 'https://other.example.com', subscriptionIds: ['s3'] },
    ]);
  });
});

describe('Gcore callbacks', () => {
  const data = {
    roomId: '44fde071',
    peerId: 'de9b6927',
    displayName: 'user16',
    callbacks: { apiEvent: 'https://dev.com/api/events/', authEvent: 'Basic abc' },
  };

  it('posts joinPeer and closePeer bodies to the apiEvent URL', () => {
    expect(gcoreCallbackFor({ ...event, data })).toEqual({
      target: 'https://dev.com/api/events/joinPeer',
      body: '{"event":"connected","roomId":"44fde071","peerId":"de9b6927","displayName":"user16"}',
      authorization: 'Basic abc',
    });
    expect(gcoreCallbackFor({ ...event, type: 'io.confer.peer.left', data })?.target).toBe(
      'https://dev.com/api/events/closePeer',
    );
    expect(JSON.parse(gcoreCallbackFor({ ...event, type: 'io.confer.peer.left', data })!.body).event).toBe(
      'disconnected',
    );
  });

  it('ignores peers without apiEvent and other events', () => {
    expect(gcoreCallbackFor({ ...event, data: { roomId: 'r' } })).toBeUndefined();
    expect(gcoreCallbackFor({ ...event, type: 'io.confer.room.started', data })).toBeUndefined();
  });
});
