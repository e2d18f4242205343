import { Logger } from '@nestjs/common';
import { InMemoryEventPublisher } from '@confer/bus/testing';
import { PeerJoinRefused } from '@confer/contracts';
import { JoinRefusalsPublisher } from './join-refusals.publisher';

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('JoinRefusalsPublisher', () => {
  const bus = new InMemoryEventPublisher();
  const refusals = new JoinRefusalsPublisher(bus);
  afterEach(() => {
    bus.clear();
    jest.restoreAllMocks();
  });

  it('announces a refusal on the room subject with its reason, each refusal under its own id', async () => {
    refusals.announce({ orgId: 'org_1', roomId: 'r1', peerId: 'p1', face: 'webinar', reason: 'room_full' });
    refusals.announce({ orgId: 'org_1', roomId: 'r1', peerId: 'p1', face: 'webinar', reason: 'room_full' });
    await settle();
    const events = bus.eventsOf(PeerJoinRefused);
    expect(events).toHaveLength(2);
    expect(events[0].id).not.toBe(events[1].id);
    expect(events[0].data).toMatchObject({
      roomId: 'r1',
      peerId: 'p1',
      face: 'webinar',
      reason: 'room_full',
    });
    expect(bus.published[0].subject).toBe('confer.evt.org_1.r1.peer.join-refused.v1');
  });

  it('leaves the peer out when it is not known', async () => {
    refusals.announce({ orgId: 'org_1', roomId: 'r1', face: 'call', reason: 'token_required' });
    await settle();
    expect(bus.eventsOf(PeerJoinRefused)[0].data).not.toHaveProperty('peerId');
  });

  it('logs, and throws nothing at the caller, when the bus is down', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    bus.failWith = new Error('no responders');
    expect(() =>
      refusals.announce({ orgId: 'org_1', roomId: 'r1', face: 'call', reason: 'room_locked' }),
    ).not.toThrow();
    await settle();
    expect(bus.published).toHaveLength(0);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'join refusal not announced', reason: 'room_locked', roomId: 'r1' }),
    );
  });
});
