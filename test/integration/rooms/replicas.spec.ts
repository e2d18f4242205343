import {
  spawnRoomsProcess,
  startRoomsService,
  RunningRoomsService,
} from '../../support/rooms-service.harness';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { DataSource } from 'typeorm';
import { JoinGrantSigner } from '../../../apps/rooms/src/joins/grant-keys/join-grant-signer';
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

  it("signs grants with each replica's own key, which every replica lists, and drops lapsed keys", async () => {
    const grants = (await Promise.all(
      replicas().map(async (url, i) =>
        (await f.join('keys-1', { token: await f.mint(`signer-${i}`, 'keys-1') }, url)).json(),
      ),
    )) as Array<Grant & { grant: { token: string } }>;
    const kids = grants.map(
      (g) => JSON.parse(Buffer.from(g.grant.token.split('.')[0], 'base64url').toString()).kid as string,
    );
    expect(new Set(kids).size).toBe(2);
    for (const url of replicas()) {
      const jwks = createRemoteJWKSet(new URL(`${url}/v1/join-grant-keys`));
      for (const g of grants) {
        const { payload } = await jwtVerify(g.grant.token, jwks, { audience: 'confer:join-grant' });
        expect(payload.connection).toBe(g.connectionId);
      }
    }
    // A replica gone for longer than any grant lives: its key is no longer listed, and the
    // next renewal anywhere deletes it.
    await f.rooms.app.get(DataSource).query(
      `INSERT INTO join_grant_keys (kid, public_jwk, listed_until)
       VALUES ('gk_gone', '{"kty":"OKP","crv":"Ed25519","x":"AA","kid":"gk_gone"}', now() - interval '1 second')`,
    );
    await new Promise((r) => setTimeout(r, 1100)); // past the key set's one-second cache
    const listed = (await (await fetch(`${second.baseUrl}/v1/join-grant-keys`)).json()) as {
      keys: Array<{ kid: string }>;
    };
    expect(listed.keys.map((k) => k.kid).sort()).toEqual([...kids].sort());
    await second.app.get(JoinGrantSigner).renew();
    const [{ count }] = await f.rooms.app
      .get(DataSource)
      .query("SELECT count(*)::int AS count FROM join_grant_keys WHERE kid = 'gk_gone'");
    expect(count).toBe(0);
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
