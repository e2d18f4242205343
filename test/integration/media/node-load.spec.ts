import { createServer, connect as connectTcp, Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { connect, NatsConnection } from 'nats';
import { AnnouncementOf, MediaNodeLoad } from '@confer/contracts';
import { startFrontDoor, waitFor } from '../../support/front-door.process';
import { startMediaService } from '../../support/media-service.harness';
import { SignalingTestClient } from '../../support/media-signaling.client';
import { freePort } from '../../support/test-env';
import { MediaFixture, startMediaFixture } from './media-fixture';

type Report = AnnouncementOf<typeof MediaNodeLoad>;

/** A media process announcing its load: the rooms service places rooms on it, and it takes their grants. */
describe('media node load reports', () => {
  let m: MediaFixture;
  let nc: NatsConnection;
  const reports: Report[] = [];

  beforeAll(async () => {
    m = await startMediaFixture({
      MEDIA_NODE_REPORT_SECONDS: '0.3',
      MEDIA_NODE_ID: 'node-a',
      // Only compared, never contacted.
      MEDIA_NODE_URL: 'http://media-a.example/',
    });
    nc = await connect({ servers: m.f.auth.natsUrl });
    nc.subscribe(MediaNodeLoad.subject, {
      callback: (_error, message) =>
        reports.push(JSON.parse(new TextDecoder().decode(message.data)) as Report),
    });
  });
  afterEach(() => m.closeClients());
  afterAll(async () => {
    await nc?.close();
    await m?.close();
  });

  const nextReport = async (where: (r: Report) => boolean, timeoutMs = 3000): Promise<Report> => {
    const from = reports.length;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const hit = reports.slice(from).find(where);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no matching report in ${timeoutMs} ms; last: ${JSON.stringify(reports.at(-1))}`);
  };

  it('announces who it is and what it carries, and takes grants naming the node', async () => {
    const idle = await nextReport((r) => r.nodeId === 'node-a');
    expect(idle).toMatchObject({
      nodeId: 'node-a',
      serverGroup: 'serv0',
      url: 'http://media-a.example',
      state: 'active',
      intervalMs: 300,
      workers: 2,
      maxConsumers: 1000,
    });
    expect(idle.cpu).toBeGreaterThanOrEqual(0);

    // A grant for a room placed on this very node names the node, not its group.
    const ana = await m.client();
    const reply = await ana.request('join', {
      grant: await m.platformSigned(m.claimsFor('ana', 'placed-1', { mediaServer: 'node-a' })),
    });
    expect(reply.peerId).toBe('ana');
    const send = await ana.request('createTransport', { direction: 'send' });
    expect(send.transportId).toBeTruthy();
    expect(await nextReport((r) => r.peers === 1)).toMatchObject({ rooms: 1, peers: 1, transports: 1 });

    // A grant placed on another node is not for this one.
    const lost = await m.client();
    await expect(
      lost.request('join', {
        grant: await m.platformSigned(m.claimsFor('lost', 'placed-1', { mediaServer: 'node-b' })),
      }),
    ).rejects.toMatchObject({ error: { code: 'wrong_media_server' } });
  });

  it('is reached by its node id through the front door, until it says it is stopping', async () => {
    // The node's origin: a loopback port of ours, passed on to wherever the service listens.
    let mediaPort = 0;
    const relay: Server = createServer((socket) => {
      const upstream = connectTcp(mediaPort, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
    const routed = await startMediaService(m.f.auth, {
      ROOMS_URL: m.f.rooms.baseUrl,
      MEDIA_NODE_REPORT_SECONDS: '0.3',
      MEDIA_NODE_ID: 'node-r',
      MEDIA_NODE_ROUTED: 'true',
      MEDIA_NODE_ORIGIN: origin,
      MEDIA_WORKERS: '1',
    });
    mediaPort = Number(new URL(routed.baseUrl).port);
    const frontDoorPort = await freePort();
    const frontDoor = startFrontDoor({
      CONFER_UPSTREAMS: JSON.stringify(
        Object.fromEntries(
          ['auth', 'rooms', 'stats', 'webhooks', 'media', 'recording'].map((s) => [s, 'http://127.0.0.1:9']),
        ),
      ),
      PORT: String(frontDoorPort),
      NATS_URL: m.f.auth.natsUrl,
    });
    try {
      const report = await nextReport((r) => r.nodeId === 'node-r');
      expect(report).toMatchObject({
        url: `${m.f.auth.env.PUBLIC_URL.replace(/\/+$/, '')}/v1/media/nodes/node-r`,
        origin,
      });
      await waitFor(() => frontDoor.output().includes('following media node reports'), 'the front door');
      await nextReport((r) => r.nodeId === 'node-r'); // heard by the front door too

      // The path the web client derives from that url, on the front door's host.
      const signaling = `ws://127.0.0.1:${frontDoorPort}/v1/media/nodes/node-r/v1/media/ws`;
      const ana = await SignalingTestClient.connect(signaling);
      const reply = await ana.request('join', {
        grant: await m.platformSigned(m.claimsFor('ana-r', 'routed-1', { mediaServer: 'node-r' })),
      });
      expect(reply.peerId).toBe('ana-r');
      expect(routed.rooms.all).toHaveLength(1); // on this node, not on node-a
      ana.close();

      const stopping = nextReport((r) => r.nodeId === 'node-r' && r.stopping === true);
      await routed.close();
      await stopping;
      await new Promise((r) => setTimeout(r, 100));
      const gone = await fetch(`http://127.0.0.1:${frontDoorPort}/v1/media/nodes/node-r/v1/media/ws`);
      expect(gone.status).toBe(503);
    } finally {
      frontDoor.child.kill('SIGTERM');
      await new Promise((r) => relay.close(r));
    }
  });

  it('says it is draining when it stops, so no new room is placed on it', async () => {
    const other = await startMediaService(m.f.auth, {
      ROOMS_URL: m.f.rooms.baseUrl,
      MEDIA_NODE_REPORT_SECONDS: '0.3',
      MEDIA_WORKERS: '1',
    });
    const first = await nextReport((r) => r.nodeId !== 'node-a');
    expect(first.nodeId).toMatch(/^serv0-.+-\d+$/);
    expect(first).toMatchObject({
      state: 'active',
      url: m.f.auth.env.PUBLIC_URL.replace(/\/+$/, ''),
      workers: 1,
    });
    const draining = nextReport((r) => r.nodeId === first.nodeId && r.state === 'draining');
    await other.close();
    // Its last report: it is stopping, so a front door forgets it at once.
    await expect(draining).resolves.toMatchObject({ rooms: 0, peers: 0, stopping: true });
  });
});
