import { decodeJwt } from 'jose';
import { connect, NatsConnection } from 'nats';
import { AnnouncementOf, MediaNodeLoad } from '@confer/contracts';
import { startRoomsFixture, RoomsFixture } from './rooms-fixture';

// Media nodes announce their load on NATS; the rooms service places each new room on the
// least-loaded live node of the server group its id names, and moves a live room off a
// node that stopped announcing. Here the nodes are announcers on the real NATS (the media
// side of the same reports is tested with the media service).

type Report = AnnouncementOf<typeof MediaNodeLoad>;

class AnnouncingNode {
  #timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly nc: NatsConnection,
    public report: Report,
  ) {}
  start(): void {
    const send = () =>
      this.nc.publish(
        MediaNodeLoad.subject,
        new TextEncoder().encode(JSON.stringify({ ...this.report, reportedAt: new Date().toISOString() })),
      );
    send();
    this.#timer = setInterval(send, 250);
  }
  stop(): void {
    clearInterval(this.#timer);
  }
}

const nodeReport = (nodeId: string, serverGroup: string, cpu: number): Report => ({
  nodeId,
  serverGroup,
  url: `http://127.0.0.1:1/${nodeId}`,
  state: 'active',
  reportedAt: new Date().toISOString(),
  // Reports come every 250 ms; a node is out after 2.5 intervals (5 s) without one, which a
  // loaded machine's scheduling delays never reach by accident.
  intervalMs: 2000,
  workers: 2,
  rooms: 0,
  peers: 0,
  transports: 0,
  producers: 0,
  consumers: 0,
  cpu,
  maxConsumers: 1000,
});

describe('placing rooms on media nodes', () => {
  let fx: RoomsFixture;
  let nc: NatsConnection;
  let nodes: Record<string, AnnouncingNode>;

  beforeAll(async () => {
    fx = await startRoomsFixture({
      MEDIA_SERVERS: JSON.stringify([
        { id: 'serv0', region: 'eu', url: 'http://127.0.0.1:1/serv0' },
        { id: 'serv1', region: 'us', url: 'http://127.0.0.1:1/serv1' },
      ]),
    });
    nc = await connect({ servers: fx.auth.natsUrl });
    nodes = {
      busy: new AnnouncingNode(nc, nodeReport('eu-busy', 'serv0', 0.6)),
      idle: new AnnouncingNode(nc, nodeReport('eu-idle', 'serv0', 0.1)),
      us: new AnnouncingNode(nc, nodeReport('us-only', 'serv1', 0.3)),
    };
  });
  afterAll(async () => {
    for (const node of Object.values(nodes ?? {})) node.stop();
    await nc?.close();
    await fx?.close();
  });

  const join = async (roomId: string, peerId: string) => {
    const response = await fx.join(roomId, { token: await fx.mint(peerId, roomId) });
    expect(response.status).toBe(201);
    const body = (await response.json()) as {
      mediaServer: { id: string; url: string };
      grant: { token: string };
    };
    // The media service admits a grant only when it names this very node (or its group).
    expect(decodeJwt(body.grant.token).mediaServer).toBe(body.mediaServer.id);
    return body.mediaServer;
  };

  const eventually = async (what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + 15_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('uses the configured server of the group while no media node announces itself', async () => {
    expect(await join('quiet-room', 'ana')).toEqual({ id: 'serv0', url: 'http://127.0.0.1:1/serv0' });
    expect(await join('serv1-quiet', 'ana')).toEqual({ id: 'serv1', url: 'http://127.0.0.1:1/serv1' });
  });

  it('places a new room on the least-loaded node of its group, and every peer of it there', async () => {
    for (const node of Object.values(nodes)) node.start();
    await eventually('nodes heard', async () => (await join(`probe-${Date.now()}`, 'x')).id !== 'serv0');
    const first = await join('standup', 'ana');
    expect(first).toEqual({ id: 'eu-idle', url: 'http://127.0.0.1:1/eu-idle' });
    expect(await join('standup', 'ben')).toEqual(first);
    expect((await join('serv1-review', 'ana')).id).toBe('us-only');
  });

  it('moves a live room off a node that stopped announcing, and places new rooms elsewhere', async () => {
    nodes.idle.stop();
    // 2.5 report intervals (5 s here) without news and the node is out. (Polling with new
    // rooms meanwhile would load it up in this replica's eyes and prove nothing.)
    await new Promise((r) => setTimeout(r, 5_200));
    expect((await join(`fresh-${Date.now()}`, 'x')).id).toBe('eu-busy');
    // A peer reconnecting to the room that lived on the dead node lands with the others on a live one.
    expect((await join('standup', 'cleo')).id).toBe('eu-busy');
    expect((await join('standup', 'ana')).id).toBe('eu-busy');
  });

  it('gives no new room to a draining node, and uses another group’s node rather than none', async () => {
    nodes.busy.report = { ...nodes.busy.report, state: 'draining' };
    await eventually(
      'eu-busy draining',
      async () => (await join(`late-${Date.now()}`, 'x')).id === 'us-only',
    );
    // The room already on the draining node stays there: its calls are not cut.
    expect((await join('standup', 'dan')).id).toBe('eu-busy');
  });

  it('takes a node that says it is stopping out of placement at once', async () => {
    const leaving = new AnnouncingNode(nc, nodeReport('us-leaving', 'serv1', 0.0));
    leaving.start();
    await eventually(
      'us-leaving placed on',
      async () => (await join(`serv1-probe-${Date.now()}`, 'x')).id === 'us-leaving',
    );
    leaving.stop();
    nc.publish(
      MediaNodeLoad.subject,
      new TextEncoder().encode(
        JSON.stringify({ ...leaving.report, reportedAt: new Date().toISOString(), stopping: true }),
      ),
    );
    await nc.flush();
    const saidAt = Date.now();
    await eventually(
      'us-leaving out',
      async () => (await join(`serv1-after-${Date.now()}`, 'x')).id === 'us-only',
    );
    // Well within the 5 s its silence would take.
    expect(Date.now() - saidAt).toBeLessThan(1_000);
  });

  it('ignores a malformed announcement', async () => {
    nc.publish(MediaNodeLoad.subject, new TextEncoder().encode('{"nodeId":"evil","cpu":-1}'));
    nc.publish(MediaNodeLoad.subject, new TextEncoder().encode('not json'));
    await nc.flush();
    expect((await join(`after-bad-${Date.now()}`, 'x')).id).toBe('us-only');
    expect((await fx.rooms.app.getHttpServer().listening) as boolean).toBe(true);
  });
});
