import { connect, NatsConnection } from 'nats';
import { AnnouncementOf, MediaNodeLoad, roomSpanSubject, SpanState } from '@confer/contracts';
import { RoomRegistry } from '../../../apps/media/src/rooms/room-registry';
import { BuiltServiceProcess, spawnBuiltService } from '../../support/built-service.process';
import { mediaServiceEnv, RunningMediaService, startMediaService } from '../../support/media-service.harness';
import { subscribeRtp } from '../../support/rtp-subscriber';
import { SyntheticPeer, SyntheticPublish } from '../../support/synthetic-peer';
import { RoomsFixture, startRoomsFixture } from '../rooms/rooms-fixture';

// Three media nodes on loopback, each its own mediasoup worker, announcing their load to the
// real rooms service over the real NATS: node-a and node-b serve the group serv0 and carry at
// most 2 consumers each (so a room fills its node quickly), node-c serves serv1 and runs as
// its own process, so that it can be killed. Peers are synthetic: ffmpeg sends real RTP.

type Report = AnnouncementOf<typeof MediaNodeLoad>;

describe('media nodes scaling out', () => {
  let f: RoomsFixture;
  let nc: NatsConnection;
  const inProcess: Record<string, RunningMediaService> = {};
  let nodeC: BuiltServiceProcess;
  const signalingOf: Record<string, string> = {};
  const reports: Report[] = [];
  const peers: SyntheticPeer[] = [];

  beforeAll(async () => {
    f = await startRoomsFixture({
      MEDIA_SERVERS: JSON.stringify([
        { id: 'serv0', region: 'eu', url: 'http://127.0.0.1:1/serv0' },
        { id: 'serv1', region: 'us', url: 'http://127.0.0.1:1/serv1' },
      ]),
      MEDIA_SPAN_AT_LOAD: '0.8',
    });
    const common = {
      ROOMS_URL: f.rooms.baseUrl,
      NATS_URL: f.auth.natsUrl,
      MEDIA_NODE_REPORT_SECONDS: '0.3',
      MEDIA_PLAIN_INGEST: 'true',
      MEDIA_WORKERS: '1',
    };
    for (const id of ['node-a', 'node-b']) {
      inProcess[id] = await startMediaService(f.auth, {
        ...common,
        MEDIA_NODE_ID: id,
        MEDIA_SERVER_ID: 'serv0',
        MEDIA_MAX_CONSUMERS: '2',
      });
      signalingOf[id] = inProcess[id].signalingUrl;
    }
    nodeC = await spawnBuiltService('media', {
      ...mediaServiceEnv(f.auth),
      ...common,
      MEDIA_NODE_ID: 'node-c',
      MEDIA_SERVER_ID: 'serv1',
    });
    signalingOf['node-c'] = `${nodeC.baseUrl.replace('http', 'ws')}/v1/media/ws`;
    nc = await connect({ servers: f.auth.natsUrl });
    nc.subscribe(MediaNodeLoad.subject, {
      callback: (_e, m) => reports.push(JSON.parse(new TextDecoder().decode(m.data)) as Report),
    });
    await until('all three nodes heard', () =>
      ['node-a', 'node-b', 'node-c'].every((id) => reports.some((r) => r.nodeId === id)),
    );
  }, 90_000);

  afterAll(async () => {
    for (const peer of peers) await peer.close().catch(() => undefined);
    await nc?.close();
    await nodeC?.kill();
    for (const node of Object.values(inProcess)) await node.close();
    await f?.close();
  });

  async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The rooms service's join answer: which node, and the grant for it. */
  async function place(identity: string, roomId: string) {
    const response = await f.join(roomId, { token: await f.mint(identity, roomId) });
    expect(response.status).toBe(201);
    return (await response.json()) as { mediaServer: { id: string; url: string }; grant: { token: string } };
  }

  async function joinPeer(identity: string, roomId: string, publish: SyntheticPublish) {
    const placed = await place(identity, roomId);
    const peer = await SyntheticPeer.join({
      signalingUrl: signalingOf[placed.mediaServer.id],
      grant: placed.grant.token,
      publish,
    });
    peers.push(peer);
    return { peer, node: placed.mediaServer.id };
  }

  /** A subscriber at the RTP level on a node, of a producer of the room there. */
  async function subscribeOn(node: string, roomId: string, producerId: string) {
    const room = inProcess[node].rooms.find(RoomRegistry.keyOf(f.org.orgId, roomId));
    if (!room) throw new Error(`room ${roomId} not on ${node}`);
    return subscribeRtp(room.router, producerId);
  }

  const loadOf = (nodeId: string) => reports.filter((r) => r.nodeId === nodeId).at(-1);

  it('places rooms by their prefix and load', async () => {
    const us = await place('ivy', `serv1-prefix-${Date.now()}`);
    expect(us.mediaServer.id).toBe('node-c');
    const eu = await place('ivy', `prefix-${Date.now()}`);
    expect(['node-a', 'node-b']).toContain(eu.mediaServer.id);
  });

  it('spans a room over two nodes when its node is full: each side sees, hears and chats with the other', async () => {
    const roomId = `span-${Date.now()}`;
    const ana = await joinPeer('ana', roomId, 'camera+microphone');
    const ben = await joinPeer('ben', roomId, 'none');
    expect(ben.node).toBe(ana.node);
    const home = ana.node;
    const other = home === 'node-a' ? 'node-b' : 'node-a';

    // Ben receives Ana's camera and microphone: the room's node carries its 2 consumers.
    const recv = await ben.peer.client.request('createTransport', { direction: 'recv' });
    for (const producer of [ana.peer.producers.video!, ana.peer.producers.audio!])
      await ben.peer.client.request('consume', {
        transportId: recv.transportId,
        producerId: producer.producerId,
        rtpCapabilities: ben.peer.joined.routerRtpCapabilities,
      });
    await until(`${home} reports itself full`, () => (loadOf(home)?.consumers ?? 0) >= 2);

    // Cleo is placed on the other node of the group; the room now spans both.
    const cleo = await joinPeer('cleo', roomId, 'camera+microphone');
    expect(cleo.node).toBe(other);
    const anaVideo = ana.peer.producers.video!.producerId;
    const anaAudio = ana.peer.producers.audio!.producerId;
    const cleoVideo = cleo.peer.producers.video!.producerId;
    const cleoAudio = cleo.peer.producers.audio!.producerId;

    // Each side is shown the other's peers and producers, as in a room on one node.
    await cleo.peer.client.next('peerJoined', (p) => p.peerId === 'ana', 10_000);
    await cleo.peer.client.next('peerJoined', (p) => p.peerId === 'ben', 10_000);
    await cleo.peer.client.next('producerAdded', (p) => p.producerId === anaVideo, 10_000);
    await ana.peer.client.next('peerJoined', (p) => p.peerId === 'cleo', 10_000);
    await ben.peer.client.next(
      'producerAdded',
      (p) => p.producerId === cleoVideo && p.peerId === 'cleo',
      10_000,
    );

    // A client on the other node consumes Ana through the pipe like any producer of its room.
    const cleoRecv = await cleo.peer.client.request('createTransport', { direction: 'recv' });
    const consumed = await cleo.peer.client.request('consume', {
      transportId: cleoRecv.transportId,
      producerId: anaVideo,
      rtpCapabilities: cleo.peer.joined.routerRtpCapabilities,
    });
    expect(consumed).toMatchObject({ peerId: 'ana', kind: 'video', source: 'camera' });

    // Media crosses both ways: RTP of Ana arrives at a subscriber on Cleo's node, and Cleo's on Ana's.
    const atOther = [await subscribeOn(other, roomId, anaAudio), await subscribeOn(other, roomId, anaVideo)];
    const atHome = [await subscribeOn(home, roomId, cleoAudio), await subscribeOn(home, roomId, cleoVideo)];
    try {
      await until('RTP through the pipe both ways', () =>
        [...atOther, ...atHome].every((rx) => rx.packets >= 20),
      );
    } finally {
      for (const rx of [...atOther, ...atHome]) rx.close();
    }

    // Chat goes across too, the writer stamped by its own node.
    await ana.peer.client.request('sendChatMessage', { text: 'hello from the first node' });
    expect(
      await cleo.peer.client.next('chatMessage', (m) => m.text === 'hello from the first node'),
    ).toMatchObject({
      peerId: 'ana',
    });
    await cleo.peer.client.request('sendChatMessage', { text: 'just for Ben', to: 'ben' });
    expect(await ben.peer.client.next('chatMessage', (m) => m.text === 'just for Ben')).toMatchObject({
      peerId: 'cleo',
      to: 'ben',
    });

    // A producer closed on one node is gone on the other; a peer leaving is told everywhere.
    await cleo.peer.stopCamera();
    await ana.peer.client.next('producerClosed', (p) => p.producerId === cleoVideo, 10_000);
    await cleo.peer.leave();
    await ana.peer.client.next('peerLeft', (p) => p.peerId === 'cleo', 10_000);
    await until('the pipe producers gone', () => {
      const room = inProcess[home].rooms.find(RoomRegistry.keyOf(f.org.orgId, roomId));
      return room !== undefined && room.findProducer(cleoAudio) === undefined;
    });
    // The other node carried nobody of its own any more: its instance of the room closed.
    await until(
      'the other node’s room closed',
      () => inProcess[other].rooms.find(RoomRegistry.keyOf(f.org.orgId, roomId)) === undefined,
    );
  }, 90_000);

  it('shows another node’s peers while it is heard, drops them 5 s after it falls silent, and shrugs off garbage', async () => {
    const roomId = `ghost-${Date.now()}`;
    const hal = await joinPeer('hal', roomId, 'none');
    const subject = roomSpanSubject(f.org.orgId, roomId);
    let seq = 0;
    const state = (): SpanState => ({
      type: 'state',
      nodeId: 'ghost-node',
      incarnation: 'ghost-1',
      since: Date.now() - 60_000,
      seq: ++seq,
      open: true,
      peers: [
        { peerId: 'gus', connectionId: 'conn-gus', role: 'participant', displayName: 'Gus', producers: [] },
      ],
    });
    const send = (body: unknown) => nc.publish(subject, new TextEncoder().encode(JSON.stringify(body)));
    send(state());
    const talking = setInterval(() => send(state()), 500);
    try {
      expect(await hal.peer.client.next('peerJoined', (p) => p.peerId === 'gus')).toEqual({
        peerId: 'gus',
        role: 'participant',
        displayName: 'Gus',
      });
      // Malformed messages are refused and logged; the room goes on.
      nc.publish(subject, new TextEncoder().encode('not json'));
      send({ type: 'state', nodeId: 'ghost-node', peers: 'everyone' });
      send({ ...state(), peers: [{ peerId: '' }] });
      await new Promise((r) => setTimeout(r, 1_500));
      expect(hal.peer.client.notifications.some((n) => n.notification === 'peerLeft')).toBe(false);
    } finally {
      clearInterval(talking);
    }
    const silentAt = Date.now();
    expect(await hal.peer.client.next('peerLeft', (p) => p.peerId === 'gus', 10_000)).toMatchObject({
      peerId: 'gus',
    });
    const after = Date.now() - silentAt;
    expect(after).toBeGreaterThan(4_000);
    expect(after).toBeLessThan(8_000);
    // Its node still serves: a chat message gets an answer.
    expect(await hal.peer.client.request('sendChatMessage', { text: 'still here' })).toHaveProperty(
      'messageId',
    );
  }, 60_000);

  it('moves the peers of a killed node, and new joins, to a live node within 5 seconds', async () => {
    const roomId = `serv1-kill-${Date.now()}`;
    const dan = await joinPeer('dan', roomId, 'microphone');
    const eve = await joinPeer('eve', roomId, 'none');
    expect([dan.node, eve.node]).toEqual(['node-c', 'node-c']);

    const killedAt = Date.now();
    await nodeC.kill();
    // Their sockets drop: that is the clients' sign to join again (the web client does so).
    await Promise.all([dan.peer.client.closed, eve.peer.client.closed]);

    const rejoin = async (identity: string) => {
      for (;;) {
        const placed = await place(identity, roomId);
        try {
          const peer = await SyntheticPeer.join({
            signalingUrl: signalingOf[placed.mediaServer.id],
            grant: placed.grant.token,
            publish: 'none',
          });
          peers.push(peer);
          return placed.mediaServer.id;
        } catch {
          // Placed on the dead node before the rooms service noticed: try again shortly.
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    const [danNode, eveNode] = await Promise.all([rejoin('dan'), rejoin('eve')]);
    const movedInMs = Date.now() - killedAt;
    expect(danNode).not.toBe('node-c');
    expect(eveNode).toBe(danNode);
    const fresh = await place('fay', `serv1-after-${Date.now()}`);
    expect(fresh.mediaServer.id).not.toBe('node-c');
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    process.stdout.write(`peers of the killed node back in a call on ${danNode} after ${movedInMs} ms\n`);
  }, 60_000);
});
