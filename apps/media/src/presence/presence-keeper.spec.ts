import type { SignalingNotification } from '@confer/contracts';
import type { JoinGrant } from '../grants/join-grant';
import { Peer } from '../peers/peer';
import { PresenceKeeper } from './presence-keeper';
import { FakeRoomsPresence } from './rooms-presence.fake';

const grantOf = (peer: string): JoinGrant => ({
  org: 'org_1',
  room: 'room-1',
  session: 'sess_1',
  conferenceNumber: '12345678',
  peer,
  connection: `c_${peer}`,
  role: 'participant',
  perms: { publishAudio: true, publishVideo: true, shareScreen: true, subscribe: true },
  mediaServer: 'serv0',
  expiresAt: 0,
});

describe('PresenceKeeper', () => {
  let rooms: FakeRoomsPresence;
  let keeper: PresenceKeeper;
  let told: Array<{ peer: string; notification: SignalingNotification; data: unknown }>;

  const peer = (id: string) => {
    const p = new Peer(grantOf(id), (notification, data) => told.push({ peer: id, notification, data }));
    keeper.admitted(p);
    return p;
  };

  beforeEach(() => {
    rooms = new FakeRoomsPresence();
    keeper = new PresenceKeeper(rooms, 60_000);
    told = [];
  });

  it('heartbeats every peer it was given, until the peer closes', async () => {
    const ana = peer('ana');
    peer('ben');
    await keeper.beat();
    expect(rooms.heartbeats.sort()).toEqual(['c_ana', 'c_ben']);
    ana.close('left');
    await keeper.beat();
    expect(rooms.heartbeats.filter((c) => c === 'c_ana')).toHaveLength(1);
    expect(keeper.tracked).toBe(1);
  });

  it('tells rooms of leaves it did not decide, and not of the ones it did', async () => {
    peer('left').close('left');
    peer('lost').close('room closed');
    peer('kicked').close('kicked');
    peer('replaced').close('replaced');
    peer('timed').close('timed_out');
    await keeper.flush();
    expect(rooms.leaves.sort()).toEqual(['c_left', 'c_lost']);
  });

  it('closes a peer the rooms service no longer has, telling it why', async () => {
    const ana = peer('ana');
    rooms.gone.set('c_ana', 'kicked');
    await keeper.beat();
    expect(ana.closed).toBe(true);
    expect(told).toEqual([{ peer: 'ana', notification: 'sessionClosed', data: { reason: 'kicked' } }]);
    expect(rooms.leaves).toEqual([]);
  });

  it('keeps its peers when rooms cannot be reached for a moment', async () => {
    const ana = peer('ana');
    rooms.unreachable = true;
    await keeper.beat();
    expect(ana.closed).toBe(false);
    expect(told).toEqual([]);
  });
});

describe('PresenceKeeper on a slow rooms service', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('skips ticks while a round is still running, then beats again', async () => {
    const rooms = new FakeRoomsPresence();
    const keeper = new PresenceKeeper(rooms, 1000);
    keeper.admitted(new Peer(grantOf('ana'), () => undefined));
    const release = rooms.hold();
    keeper.start();
    try {
      await jest.advanceTimersByTimeAsync(1000);
      expect(rooms.inFlight).toBe(1);
      // Rooms answers nothing for ten intervals: no new round starts meanwhile.
      await jest.advanceTimersByTimeAsync(10_000);
      expect(rooms.maxInFlight).toBe(1);
      release();
      await jest.advanceTimersByTimeAsync(0);
      expect(rooms.heartbeats).toEqual(['c_ana']);
      await jest.advanceTimersByTimeAsync(1000);
      expect(rooms.heartbeats).toEqual(['c_ana', 'c_ana']);
      expect(rooms.maxInFlight).toBe(1);
    } finally {
      keeper.stop();
    }
  });
});
