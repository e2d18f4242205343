import { eventSubject } from '@confer/contracts';
import { RoomRegistry } from '../rooms/room-registry';
import { FakeWorkerChooser } from '../rooms/room-registry.fake';
import { RoomsEventsConsumer } from './rooms-events.consumer';
import { FakeRoomsEventsSource } from './rooms-events.source.fake';

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const following = (consumer: RoomsEventsConsumer) => {
  try {
    consumer.assertFollowing();
    return true;
  } catch {
    return false;
  }
};

const subjectOf = (type: string, roomId = 'room-1') =>
  eventSubject({ orgId: 'org_1', roomId, type, version: 1 });

describe('RoomsEventsConsumer', () => {
  let source: FakeRoomsEventsSource;
  let consumer: RoomsEventsConsumer;
  let handled: string[];

  beforeEach(async () => {
    source = new FakeRoomsEventsSource();
    const rooms = new RoomRegistry(new FakeWorkerChooser(), async () => {
      throw new Error('no rooms in this test');
    });
    consumer = new RoomsEventsConsumer(source, rooms, { minMs: 10, maxMs: 40 });
    handled = [];
    const handle = consumer.handle.bind(consumer);
    jest.spyOn(consumer, 'handle').mockImplementation((subject, data) => {
      handled.push(subject);
      handle(subject, data);
    });
  });
  afterEach(() => consumer.stop());

  it('reads only the decisions it carries out, not every event of every organisation', async () => {
    await consumer.start();
    expect([...consumer.filters].sort()).toEqual([
      'confer.evt.*.*.hand.lowered.v1',
      'confer.evt.*.*.hand.raised.v1',
      'confer.evt.*.*.moderation.applied.v1',
      'confer.evt.*.*.peer.left.v1',
      'confer.evt.*.*.peer.role-changed.v1',
    ]);
    expect(source.subscribed.map((s) => s.filter).sort()).toEqual([...consumer.filters].sort());
    source.publish(subjectOf('track.published'), { type: 'io.confer.track.published' });
    source.publish(subjectOf('peer.joined'), { type: 'io.confer.peer.joined' });
    source.publish(subjectOf('peer.left'), { type: 'io.confer.peer.left' });
    source.publish(subjectOf('peer.role-changed', 'room-2'), { type: 'io.confer.peer.role-changed' });
    await waitFor(() => handled.length === 2);
    expect(handled.sort()).toEqual([subjectOf('peer.left'), subjectOf('peer.role-changed', 'room-2')]);
    expect(() => consumer.assertFollowing()).not.toThrow();
  });

  it('reads again after a reading ends, from the event after the last one seen, and is not ready meanwhile', async () => {
    await consumer.start();
    source.publish(subjectOf('peer.left'), { type: 'io.confer.peer.left' });
    await waitFor(() => handled.length === 1);
    source.breakAll();
    await waitFor(() => !following(consumer));
    expect(() => consumer.assertFollowing()).toThrow(/not being read: .*peer\.left/);
    // Decided while nobody read: still carried out once the reading is back.
    source.publish(subjectOf('peer.left', 'room-2'), 'not json either way');
    source.publish(subjectOf('moderation.applied'), { type: 'io.confer.moderation.applied' });
    await waitFor(() => handled.length === 3);
    expect(handled.slice(1).sort()).toEqual([
      subjectOf('moderation.applied'),
      subjectOf('peer.left', 'room-2'),
    ]);
    await waitFor(() => source.live.length === consumer.filters.length);
    expect(() => consumer.assertFollowing()).not.toThrow();
    const peerLeftRestart = source.subscribed.filter((s) => s.filter.includes('peer.left'))[1];
    expect(peerLeftRestart.startSequence).toBe(2);
  });

  it('keeps trying while the bus cannot be reached, or a reading fails', async () => {
    source.unreachable = true;
    await consumer.start();
    expect(() => consumer.assertFollowing()).toThrow(/not being read/);
    await waitFor(() => source.subscribed.length >= 3 * consumer.filters.length);
    source.unreachable = false;
    await waitFor(() => source.live.length === consumer.filters.length);
    expect(() => consumer.assertFollowing()).not.toThrow();

    source.breakAll(new Error('consumer deleted'));
    await waitFor(() => !following(consumer));
    await waitFor(() => source.live.length === consumer.filters.length);
    source.publish(subjectOf('peer.left'), { type: 'io.confer.peer.left' });
    await waitFor(() => handled.length === 1);
  });

  it('stops reading when stopped, also while waiting to retry', async () => {
    await consumer.start();
    source.unreachable = true;
    source.breakAll();
    await consumer.stop();
    const asked = source.subscribed.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(source.subscribed).toHaveLength(asked);
    expect(source.live).toHaveLength(0);
  });
});
