import {
  spawnRoomsProcess,
  startRoomsService,
  RunningRoomsService,
} from '../../support/rooms-service.harness';
import { startRoomsFixture, RoomsFixture } from './rooms-fixture';

interface Grant {
  peerId: string;
  connectionId: string;
  conferenceNumber: string;
}

/** Two replicas of the rooms service on one database and one NATS. */
describe('the rooms service as several replicas', () => {
  const overrides = { PEER_HEARTBEAT_TIMEOUT_SECONDS: '2', PRESENCE_SWEEP_SECONDS: '0.3' };
  let f: RoomsFixture;
  let second: RunningRoomsService;

  beforeAll(async () => {
    f = await startRoomsFixture(overrides);
    second = await startRoomsService(f.auth, overrides, { schema: f.rooms.schema });
  });

  afterAll(async () => {
    await second?.close({ keepSchema: true });
    await f?.close();
  });

  const replicas = () => [f.rooms.baseUrl, second.baseUrl];
  const livePeers = async (roomId: string) =>
    ((await (await f.api(`/v1/rooms/${roomId}/peers`)).json()) as { peers: Array<{ peerId: string }> }).peers;

  it('leaves exactly one connection when one peer id joins on both replicas at once', async () => {
    const token = await f.mint('twin', 'race-1');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => f.join('race-1', { token }, replicas()[i % 2])),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    const grants = (await Promise.all(responses.map((r) => r.json()))) as Grant[];
    expect(new Set(grants.map((g) => g.conferenceNumber)).size).toBe(1);
    expect(await livePeers('race-1')).toHaveLength(1);
    // A replacement's left and the new joined share one transaction: wait for both counts.
    await f.tap.waitFor(
      () =>
        f.tap
          .of('peer.left')
          .filter((e) => e.roomid === 'race-1' && (e.data as { reason: string }).reason === 'replaced')
          .length === 19 && f.tap.of('peer.joined').filter((e) => e.roomid === 'race-1').length === 20,
    );
    expect(f.tap.of('peer.joined').filter((e) => e.roomid === 'race-1')).toHaveLength(20);
    expect(f.tap.of('room.started').filter((e) => e.roomid === 'race-1')).toHaveLength(1);
  });

  it('keeps the count right through concurrent joins and leaves on both replicas', async () => {
    const grants = (await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        f.join('race-2', { orgId: f.org.orgId, peerId: `p${i}` }, replicas()[i % 2]).then((r) => r.json()),
      ),
    )) as Grant[];
    expect(await livePeers('race-2')).toHaveLength(30);
    await Promise.all(
      grants.slice(0, 10).map((g, i) =>
        fetch(`${replicas()[(i + 1) % 2]}/v1/rooms/race-2/peers/${g.peerId}/leave`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ connectionId: g.connectionId }),
        }),
      ),
    );
    expect(await livePeers('race-2')).toHaveLength(20);
    const room = (await (await f.api('/v1/rooms/race-2')).json()) as { live: { peers: number } };
    expect(room.live.peers).toBe(20);
  });

  it('loses no admitted peer when a replica dies: they time out cleanly on the survivor', async () => {
    const doomed = await spawnRoomsProcess(f.auth, f.rooms.schema, overrides);
    const grants = (await Promise.all(
      ['d1', 'd2', 'd3'].map((peerId) =>
        f.join('race-3', { orgId: f.org.orgId, peerId }, doomed.baseUrl).then((r) => r.json()),
      ),
    )) as Grant[];
    expect(grants.every((g) => g.connectionId)).toBe(true);
    // No shutdown hooks, no goodbyes: the process is simply gone.
    await doomed.kill();
    await f.tap.waitFor(
      () =>
        f.tap
          .of('peer.left')
          .filter((e) => e.roomid === 'race-3' && (e.data as { reason: string }).reason === 'timed_out')
          .length === 3,
      10_000,
    );
    await f.tap.waitFor(() => f.tap.of('room.ended').some((e) => e.roomid === 'race-3'));
    expect(await livePeers('race-3')).toHaveLength(0);
  });
});
