import { connect } from 'nats';
import { EVENTS_STREAM, eventSubject } from '@confer/contracts';
import { startMediaService } from '../../support/media-service.harness';
import { SignalingTestClient } from '../../support/media-signaling.client';
import { MediaFixture, OPUS, startMediaFixture, VP8 } from './media-fixture';

const SCREEN = { ...VP8, encodings: [{ ssrc: 33333333 }] };

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The rooms service decides (its HTTP API, its events on JetStream); the media service acts on the media. */
describe("rooms' decisions carried out on the media", () => {
  let m: MediaFixture;

  beforeAll(async () => {
    m = await startMediaFixture();
  });
  afterEach(() => m.closeClients());
  afterAll(async () => {
    await m?.close();
  });

  async function publish(c: SignalingTestClient, sources: Array<'microphone' | 'camera' | 'screen'>) {
    const send = await c.request('createTransport', { direction: 'send' });
    const ids: Record<string, string> = { transportId: send.transportId };
    for (const source of sources) {
      const { producerId } = await c.request('produce', {
        transportId: send.transportId,
        kind: source === 'microphone' ? 'audio' : 'video',
        source,
        rtpParameters: source === 'microphone' ? OPUS : source === 'camera' ? VP8 : SCREEN,
      });
      ids[source] = producerId;
    }
    return ids;
  }

  /** As a moderator's browser acts: by its own connection, no API token. */
  const asModerator = (path: string, method: string, body: Record<string, unknown>) =>
    fetch(`${m.f.rooms.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  const producerIdsOf = (roomId: string, peerId: string) =>
    m.media.rooms
      .find(`${m.f.org.orgId}/${roomId}`)
      ?.peer(peerId)
      ?.producers.map((p) => p.id)
      .sort() ?? [];

  it('closes a kicked peer at once and tells it why before the socket closes', async () => {
    const ana = await m.joined('ana', 'mod-1');
    const ben = await m.joined('ben', 'mod-1');
    const own = await publish(ana.c, ['camera']);
    const response = await m.f.api('/v1/rooms/mod-1/peers/ana', { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(await ana.c.next('sessionClosed')).toEqual({ reason: 'kicked' });
    expect(await ana.c.closed).toEqual({ code: 4000, reason: 'kicked' });
    expect(await ben.c.next('peerLeft')).toEqual({ peerId: 'ana', reason: 'kicked' });
    expect(await ben.c.next('producerClosed')).toEqual({ peerId: 'ana', producerId: own.camera });
    expect(m.media.rooms.find(`${m.f.org.orgId}/mod-1`)?.peer('ana')).toBeUndefined();
  });

  it("turns a peer's camera off on the server, one peer's or everyone's microphone, and tells them", async () => {
    const mod = await m.joined('boss', 'mod-2', { role: 'moderator' });
    const ana = await m.joined('ana', 'mod-2');
    const ben = await m.joined('ben', 'mod-2');
    const anaMedia = await publish(ana.c, ['microphone', 'camera']);
    const benMedia = await publish(ben.c, ['microphone']);
    const bossMedia = await publish(mod.c, ['microphone']);

    const act = (path: string, action: string) =>
      asModerator(path, 'POST', { action, connectionId: mod.join.connectionId });
    expect((await act('/v1/rooms/mod-2/peers/ana/moderation', 'disable_video')).status).toBe(200);
    expect(await ana.c.next('producerClosedByServer')).toEqual({
      producerId: anaMedia.camera,
      source: 'camera',
      reason: 'moderator',
      by: 'boss',
    });
    expect(await ben.c.next('moderation')).toEqual({
      action: 'disable_video',
      targetPeerId: 'ana',
      by: 'boss',
    });
    expect(await ben.c.next('producerClosed')).toEqual({ peerId: 'ana', producerId: anaMedia.camera });
    expect(producerIdsOf('mod-2', 'ana')).toEqual([anaMedia.microphone]);

    expect((await act('/v1/rooms/mod-2/moderation', 'disable_all_audio')).status).toBe(200);
    await ana.c.next('producerClosedByServer', (n) => n.producerId === anaMedia.microphone);
    await ben.c.next('producerClosedByServer', (n) => n.producerId === benMedia.microphone);
    expect(producerIdsOf('mod-2', 'ana')).toEqual([]);
    expect(producerIdsOf('mod-2', 'ben')).toEqual([]);
    // The moderator keeps its own microphone.
    expect(producerIdsOf('mod-2', 'boss')).toEqual([bossMedia.microphone]);
    // A one-off: the peer may turn its microphone on again.
    const again = await ana.c.request('produce', {
      transportId: anaMedia.transportId,
      kind: 'audio',
      source: 'microphone',
      rtpParameters: { ...OPUS, encodings: [{ ssrc: 44444444 }] },
    });
    expect(again.producerId).toBeTruthy();
  });

  it('forbids screen sharing (closing the share) and allows it again', async () => {
    const mod = await m.joined('boss', 'mod-3', { role: 'moderator' });
    const ana = await m.joined('ana', 'mod-3');
    const media = await publish(ana.c, ['camera', 'screen']);
    const act = (action: string) =>
      asModerator('/v1/rooms/mod-3/peers/ana/moderation', 'POST', {
        action,
        connectionId: mod.join.connectionId,
      });
    expect((await act('forbid_screen_share')).status).toBe(200);
    expect(await ana.c.next('producerClosedByServer')).toMatchObject({
      producerId: media.screen,
      source: 'screen',
      reason: 'permission',
    });
    expect(await ana.c.next('permissionsChanged')).toMatchObject({
      role: 'participant',
      permissions: { shareScreen: false, publishVideo: true },
    });
    expect(producerIdsOf('mod-3', 'ana')).toEqual([media.camera]);
    const screenAgain = () =>
      ana.c.request('produce', {
        transportId: media.transportId,
        kind: 'video',
        source: 'screen',
        rtpParameters: { ...SCREEN, encodings: [{ ssrc: 55555555 }] },
      });
    await expect(screenAgain()).rejects.toMatchObject({ error: { code: 'not_allowed_to_publish' } });

    expect((await act('allow_screen_share')).status).toBe(200);
    await ana.c.next('permissionsChanged', (n) => n.permissions.shareScreen === true);
    await expect(screenAgain()).resolves.toHaveProperty('producerId');
  });

  it('stops what a new role may not publish, and lets a viewer made speaker publish', async () => {
    const mod = await m.joined('boss', 'mod-4', { role: 'moderator' });
    const ana = await m.joined('ana', 'mod-4');
    const media = await publish(ana.c, ['microphone', 'camera']);
    const setRole = (peerId: string, role: string) =>
      asModerator(`/v1/rooms/mod-4/peers/${peerId}/role`, 'PUT', {
        role,
        connectionId: mod.join.connectionId,
      });
    expect((await setRole('ana', 'viewer')).status).toBe(200);
    await ana.c.next('producerClosedByServer', (n) => n.producerId === media.microphone);
    await ana.c.next('producerClosedByServer', (n) => n.producerId === media.camera);
    expect(await ana.c.next('permissionsChanged')).toMatchObject({
      role: 'viewer',
      permissions: { publishAudio: false, publishVideo: false, shareScreen: false },
    });
    expect(await mod.c.next('peerRoleChanged')).toEqual({ peerId: 'ana', role: 'viewer' });
    expect(producerIdsOf('mod-4', 'ana')).toEqual([]);
    await expect(
      ana.c.request('produce', {
        transportId: media.transportId,
        kind: 'audio',
        source: 'microphone',
        rtpParameters: OPUS,
      }),
    ).rejects.toMatchObject({ error: { code: 'not_allowed_to_publish' } });

    expect((await setRole('ana', 'speaker')).status).toBe(200);
    await ana.c.next('permissionsChanged', (n) => n.role === 'speaker');
    await expect(
      ana.c.request('produce', {
        transportId: media.transportId,
        kind: 'audio',
        source: 'microphone',
        rtpParameters: { ...OPUS, encodings: [{ ssrc: 66666666 }] },
      }),
    ).resolves.toHaveProperty('producerId');
  });

  it('keeps a screen-share ban from before a rejoin when a role change follows', async () => {
    const mod = await m.joined('boss', 'mod-8', { role: 'moderator' });
    let ana = await m.joined('ana', 'mod-8');
    const asBoss = (path: string, method: string, body: Record<string, unknown>) =>
      asModerator(`/v1/rooms/mod-8/peers/ana${path}`, method, {
        ...body,
        connectionId: mod.join.connectionId,
      });
    expect((await asBoss('/moderation', 'POST', { action: 'forbid_screen_share' })).status).toBe(200);
    await ana.c.next('permissionsChanged', (n) => n.permissions.shareScreen === false);
    await ana.c.request('leave', {});
    await ana.c.closed;
    await waitUntil(() => !m.media.rooms.find(`${m.f.org.orgId}/mod-8`)?.peer('ana'));

    // The rooms service keeps the ban: the new grant says so, and a promotion must not lift it.
    ana = await m.joined('ana', 'mod-8');
    expect(ana.reply.permissions).toMatchObject({ publishVideo: true, shareScreen: false });
    expect((await asBoss('/role', 'PUT', { role: 'moderator' })).status).toBe(200);
    expect(await ana.c.next('permissionsChanged', (n) => n.role === 'moderator')).toMatchObject({
      permissions: { publishAudio: true, publishVideo: true, shareScreen: false },
    });
    const send = await ana.c.request('createTransport', { direction: 'send' });
    await expect(
      ana.c.request('produce', {
        transportId: send.transportId,
        kind: 'video',
        source: 'screen',
        rtpParameters: SCREEN,
      }),
    ).rejects.toMatchObject({ error: { code: 'not_allowed_to_publish' } });
  });

  it('closes a producer that moderation forbade while mediasoup was creating it', async () => {
    const mod = await m.joined('boss', 'mod-9', { role: 'moderator' });
    const ana = await m.joined('ana', 'mod-9');
    const peer = m.media.rooms.find(`${m.f.org.orgId}/mod-9`)!.peer('ana')!;
    const send = await ana.c.request('createTransport', { direction: 'send' });
    const transport = peer.transport(send.transportId)!;
    // The moderator's action lands between mediasoup making the producer and the handler going on.
    const produce = transport.produce.bind(transport);
    transport.produce = (async (options: Parameters<typeof produce>[0]) => {
      const producer = await produce(options);
      const forbid = await asModerator('/v1/rooms/mod-9/peers/ana/moderation', 'POST', {
        action: 'forbid_screen_share',
        connectionId: mod.join.connectionId,
      });
      expect(forbid.status).toBe(200);
      await waitUntil(() => peer.permissions.shareScreen === false);
      return producer;
    }) as typeof transport.produce;

    await expect(
      ana.c.request('produce', {
        transportId: send.transportId,
        kind: 'video',
        source: 'screen',
        rtpParameters: SCREEN,
      }),
    ).rejects.toMatchObject({ error: { code: 'not_allowed_to_publish' } });
    expect(peer.producers).toEqual([]);
    expect(m.media.rooms.find(`${m.f.org.orgId}/mod-9`)!.peers.flatMap((p) => p.producers)).toEqual([]);
    // The moderator was never told of a share that did not survive.
    await mod.c.next('moderation', (n) => n.action === 'forbid_screen_share');
    expect(mod.c.notifications.map((n) => n.notification)).not.toContain('producerAdded');
  });

  it('skips a malformed rooms event and goes on acting on the next', async () => {
    const ana = await m.joined('ana', 'mod-6');
    const nc = await connect({ servers: m.f.auth.natsUrl });
    try {
      const js = nc.jetstream();
      // Not JSON, where the media and the fixture's own event tap both read.
      await js.publish(
        eventSubject({ orgId: m.f.org.orgId, roomId: 'mod-6', type: 'peer.left', version: 1 }),
        new TextEncoder().encode('{not json'),
      );
      // JSON naming ana's room, but not a peer.left its contract accepts: it must not remove her.
      await js.publish(
        eventSubject({ orgId: m.f.org.orgId, roomId: 'mod-6', type: 'peer.left', version: 1 }),
        new TextEncoder().encode(
          JSON.stringify({
            specversion: '1.0',
            type: 'io.confer.peer.left',
            orgid: m.f.org.orgId,
            roomid: 'mod-6',
            data: { peerId: 'ana', connectionId: ana.join.connectionId, reason: 'kicked' },
          }),
        ),
      );
    } finally {
      await nc.close();
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(ana.c.notifications.map((n) => n.notification)).not.toContain('sessionClosed');
    expect((await ana.c.request('createTransport', { direction: 'send' })).transportId).toBeTruthy();

    expect((await m.f.api('/v1/rooms/mod-6/peers/ana', { method: 'DELETE' })).status).toBe(204);
    expect(await ana.c.next('sessionClosed')).toEqual({ reason: 'kicked' });
    // The tap skipped the garbage and went on reading.
    await m.f.tap.waitFor(() => m.f.tap.of('peer.left').some((e) => e.roomid === 'mod-6'));
    expect(m.f.tap.skipped).toBeGreaterThanOrEqual(1);
  });

  it("reads the rooms service's decisions again after its consumers are deleted from under it", async () => {
    const ana = await m.joined('ana', 'mod-10');
    const readiness = async () =>
      (await (await fetch(`${m.media.baseUrl}/readyz`)).json()) as { checks: Record<string, string> };
    expect((await readiness()).checks['rooms-events']).toBe('ok');
    const nc = await connect({ servers: m.f.auth.natsUrl });
    try {
      const jsm = await nc.jetstreamManager();
      const names = (await jsm.consumers.list(EVENTS_STREAM).next())
        .map((c) => c.name)
        .filter((name) => name.startsWith('media'));
      // One per decision type, each on its own filter subject.
      expect(names.length).toBe(5);
      for (const name of names) await jsm.consumers.delete(EVENTS_STREAM, name);
    } finally {
      await nc.close();
    }
    // Removed right away, perhaps while nobody reads: carried out once the reading is back,
    // well before the presence heartbeat (10 s) would have found it out.
    expect((await m.f.api('/v1/rooms/mod-10/peers/ana', { method: 'DELETE' })).status).toBe(204);
    expect(await ana.c.next('sessionClosed', () => true, 4000)).toEqual({ reason: 'kicked' });
    const deadline = Date.now() + 4000;
    while ((await readiness()).checks['rooms-events'] !== 'ok' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect((await readiness()).checks['rooms-events']).toBe('ok');
    const again = await connect({ servers: m.f.auth.natsUrl });
    try {
      const consumers = await (await again.jetstreamManager()).consumers.list(EVENTS_STREAM).next();
      expect(
        consumers
          .filter((c) => c.name.startsWith('media'))
          .map((c) => c.config.filter_subject)
          .sort(),
      ).toEqual([
        'confer.evt.*.*.hand.lowered.v1',
        'confer.evt.*.*.hand.raised.v1',
        'confer.evt.*.*.moderation.applied.v1',
        'confer.evt.*.*.peer.left.v1',
        'confer.evt.*.*.peer.role-changed.v1',
      ]);
    } finally {
      await again.close();
    }
  });

  it("reaches every media process with the rooms service's decisions, not one of them", async () => {
    const second = await startMediaService(m.f.auth, { ROOMS_URL: m.f.rooms.baseUrl });
    try {
      const peers: Array<{ id: string; c: SignalingTestClient }> = [];
      for (const [i, url] of [
        m.media.signalingUrl,
        second.signalingUrl,
        m.media.signalingUrl,
        second.signalingUrl,
      ].entries()) {
        const id = `p${i}`;
        const join = await m.grantFor(id, 'mod-7');
        const c = await SignalingTestClient.connect(url);
        await c.request('join', { grant: join.grant.token });
        peers.push({ id, c });
      }
      for (const { id, c } of peers) {
        expect((await m.f.api(`/v1/rooms/mod-7/peers/${id}`, { method: 'DELETE' })).status).toBe(204);
        expect(await c.next('sessionClosed')).toEqual({ reason: 'kicked' });
        expect((await c.closed).code).toBe(4000);
      }
    } finally {
      await second.close();
    }
  });

  it('counts peers that send media against the grant’s maxBroadcasters', async () => {
    const grant = (peer: string) => m.platformSigned(m.claimsFor(peer, 'mod-5', { maxBroadcasters: 2 }));
    const peers = await Promise.all(
      ['p1', 'p2', 'p3'].map(async (peer) => {
        const c = await m.client();
        await c.request('join', { grant: await grant(peer) });
        return c;
      }),
    );
    const [p1, p2, p3] = peers;
    const one = await publish(p1, ['microphone', 'camera']);
    await publish(p2, ['microphone']);
    const p3send = await p3.request('createTransport', { direction: 'send' });
    const produce3 = () =>
      p3.request('produce', {
        transportId: p3send.transportId,
        kind: 'audio',
        source: 'microphone',
        rtpParameters: { ...OPUS, encodings: [{ ssrc: 77777777 }] },
      });
    await expect(produce3()).rejects.toMatchObject({ error: { code: 'too_many_broadcasters' } });
    // A sender adds a source freely; once it stops sending altogether, its place is free.
    await p1.request('closeProducer', { producerId: one.microphone });
    await expect(produce3()).rejects.toMatchObject({ error: { code: 'too_many_broadcasters' } });
    await p1.request('closeProducer', { producerId: one.camera });
    await expect(produce3()).resolves.toHaveProperty('producerId');
  });

  it("relays a raised hand to the room's other peers, and shows it to later joiners", async () => {
    const withHands = { body: { handEnabled: true } };
    const ana = await m.joined('ana', 'hand-1', withHands);
    const ben = await m.joined('ben', 'hand-1', withHands);
    const hand = (action: 'raise' | 'lower') =>
      asModerator(`/v1/rooms/hand-1/peers/ana/hand/${action}`, 'POST', {
        connectionId: ana.join.connectionId,
      });

    expect((await hand('raise')).status).toBe(200);
    expect(await ben.c.next('handRaised', (d) => d.peerId === 'ana')).toEqual({ peerId: 'ana' });
    await ana.c.next('handRaised', (d) => d.peerId === 'ana');

    const cleo = await m.joined('cleo', 'hand-1', withHands);
    expect(cleo.reply.peers.find((p) => p.peerId === 'ana')).toMatchObject({ handRaised: true });
    expect(cleo.reply.peers.find((p) => p.peerId === 'ben')).not.toHaveProperty('handRaised');

    expect((await hand('lower')).status).toBe(200);
    for (const c of [ben.c, cleo.c])
      expect(await c.next('handLowered', (d) => d.peerId === 'ana')).toEqual({ peerId: 'ana', by: 'ana' });
  });
});
