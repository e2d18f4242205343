import { MediaNodeRegistry, MediaNodeReport } from './media-node-registry';
import { chooseNodeForRoom, chooseNodeForSpan } from './placement-policy';

const report = (nodeId: string, change: Partial<MediaNodeReport> = {}): MediaNodeReport => ({
  nodeId,
  serverGroup: 'serv0',
  url: `https://${nodeId}.example.com`,
  state: 'active',
  reportedAt: '2026-11-24T20:00:00.000Z',
  intervalMs: 2000,
  workers: 4,
  rooms: 0,
  peers: 0,
  transports: 0,
  producers: 0,
  consumers: 0,
  cpu: 0,
  maxConsumers: 2000,
  ...change,
});

describe('placing a new room on a media node', () => {
  let clock: number;
  let registry: MediaNodeRegistry;
  beforeEach(() => {
    clock = 1_000_000;
    registry = new MediaNodeRegistry(() => clock);
  });
  const choose = (group = 'serv0') => chooseNodeForRoom(registry.live(), group);

  it('takes the least-loaded node of the group the room id names', () => {
    registry.record(report('a', { cpu: 0.6 }));
    registry.record(report('b', { cpu: 0.2 }));
    registry.record(report('c', { cpu: 0.1, serverGroup: 'serv1' }));
    expect(choose('serv0')).toMatchObject({ node: { nodeId: 'b' }, inRequestedGroup: true });
    expect(choose('serv1')).toMatchObject({ node: { nodeId: 'c' }, inRequestedGroup: true });
  });

  it('counts consumers against capacity as load, not only CPU', () => {
    registry.record(report('a', { cpu: 0.1, consumers: 1800 }));
    registry.record(report('b', { cpu: 0.3, consumers: 100 }));
    expect(choose()?.node.nodeId).toBe('b');
  });

  it('goes to any live node when the group has none', () => {
    registry.record(report('x', { serverGroup: 'serv1', cpu: 0.5 }));
    registry.record(report('y', { serverGroup: 'serv2', cpu: 0.4 }));
    expect(choose('serv0')).toMatchObject({ node: { nodeId: 'y' }, inRequestedGroup: false });
  });

  it('never gives a new room to a draining node', () => {
    registry.record(report('a', { state: 'draining' }));
    registry.record(report('b', { cpu: 0.9 }));
    expect(choose()?.node.nodeId).toBe('b');
    registry.record(report('b', { state: 'draining' }));
    expect(choose()).toBeUndefined();
  });

  it('forgets a node whose reports stopped, within 5 seconds', () => {
    registry.record(report('a', { cpu: 0.1, intervalMs: 3000 }));
    registry.record(report('b', { cpu: 0.5, intervalMs: 3000 }));
    clock += 4_900;
    registry.record(report('b', { cpu: 0.5, intervalMs: 3000 }));
    expect(choose()?.node.nodeId).toBe('a');
    clock += 200; // 5.1 s since a's last report
    expect(choose()?.node.nodeId).toBe('b');
    expect(registry.isLive('a')).toBe(false);
  });

  it('forgets a node sooner when it reports often (2.5 of its intervals)', () => {
    registry.record(report('a', { intervalMs: 1000 }));
    clock += 2_400;
    expect(registry.isLive('a')).toBe(true);
    clock += 200;
    expect(registry.isLive('a')).toBe(false);
  });

  it('spreads rooms placed between two reports instead of piling them on one node', () => {
    registry.record(report('a', { cpu: 0.1, rooms: 5 }));
    registry.record(report('b', { cpu: 0.12, rooms: 5 }));
    const placed: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const choice = choose()!;
      placed.push(choice.node.nodeId);
      registry.notePlaced(choice.node.nodeId);
    }
    const onA = placed.filter((id) => id === 'a').length;
    expect(onA).toBeGreaterThanOrEqual(4);
    expect(onA).toBeLessThanOrEqual(6);
    // The next report includes them: the estimate starts again from what the node says.
    registry.record(report('a', { cpu: 0.5, rooms: 10 }));
    expect(choose()?.node.nodeId).toBe('b');
  });

  it('decides the same way on every replica for the same reports', () => {
    const other = new MediaNodeRegistry(() => clock);
    for (const r of [report('n2', { cpu: 0.3 }), report('n1', { cpu: 0.3 }), report('n3', { cpu: 0.3 })]) {
      registry.record(r);
      other.record(r);
    }
    expect(choose()?.node.nodeId).toBe('n1');
    expect(chooseNodeForRoom(other.live(), 'serv0')?.node.nodeId).toBe('n1');
  });

  describe('a room outgrowing its node', () => {
    const span = (home: string, at = 0.8) => chooseNodeForSpan(registry.live(), registry.get(home)!, at);

    it('keeps newcomers on the room’s node while it is below the threshold', () => {
      registry.record(report('home', { cpu: 0.79 }));
      registry.record(report('idle', { cpu: 0.0 }));
      expect(span('home')).toBeUndefined();
    });

    it('sends them to the least-loaded other node of the group once it is full', () => {
      registry.record(report('home', { cpu: 0.2, consumers: 1700 })); // 85 % of its consumers
      registry.record(report('busy', { cpu: 0.5 }));
      registry.record(report('idle', { cpu: 0.1 }));
      registry.record(report('elsewhere', { cpu: 0.0, serverGroup: 'serv1' }));
      registry.record(report('leaving', { cpu: 0.0, state: 'draining' }));
      expect(span('home')?.nodeId).toBe('idle');
    });

    it('keeps them on the room’s node when every other node is as full', () => {
      registry.record(report('home', { cpu: 0.95 }));
      registry.record(report('other', { cpu: 0.9 }));
      expect(span('home')).toBeUndefined();
    });

    it('sends a draining node’s newcomers to another node of the group, however loaded', () => {
      registry.record(report('home', { cpu: 0.1, state: 'draining' }));
      registry.record(report('busy', { cpu: 0.9 }));
      registry.record(report('elsewhere', { cpu: 0.0, serverGroup: 'serv1' }));
      expect(span('home')?.nodeId).toBe('busy');
      expect(span('home', 1)?.nodeId).toBe('busy');
    });

    it('never spans when the threshold is 1', () => {
      registry.record(report('home', { cpu: 1 }));
      registry.record(report('idle', { cpu: 0 }));
      expect(span('home', 1)).toBeUndefined();
    });
  });
});
