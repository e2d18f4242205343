import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { connect, NatsConnection } from 'nats';
import { SignPlatformToken } from '@confer/contracts';
import { startRoomsFixture, RoomsFixture } from '../rooms/rooms-fixture';
import { startMediaService, RunningMediaService } from '../../support/media-service.harness';
import { SignalingRefusal, SignalingTestClient } from '../../support/media-signaling.client';
import { sampleSum, scrape } from '../../support/prometheus-text';

const OPUS = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc: 11111111 }],
};
const VP8 = {
  codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }],
  encodings: [{ ssrc: 22222222 }],
};

describe('media signaling with real mediasoup workers and grants from the real rooms service', () => {
  let f: RoomsFixture;
  let media: RunningMediaService;
  let nc: NatsConnection;
  const clients: SignalingTestClient[] = [];

  beforeAll(async () => {
    f = await startRoomsFixture();
    media = await startMediaService(f.auth, {
      ROOMS_URL: f.rooms.baseUrl,
      MEDIA_RECONNECT_GRACE_SECONDS: '0.5',
    });
    nc = await connect({ servers: f.auth.natsUrl });
  });

  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  afterAll(async () => {
    await nc?.close();
    await media?.close();
    await f?.close();
  });

  /** A participant token minted through auth, joined through rooms: the grant the client would carry. */
  async function grantFor(
    identity: string,
    roomId: string,
    extra: Record<string, unknown> = {},
  ): Promise<string> {
    const token = await f.mint(identity, roomId, extra);
    const response = await f.join(roomId, { token });
    if (response.status !== 201) throw new Error(`join failed: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { grant: { token: string } }).grant.token;
  }

  async function client(): Promise<SignalingTestClient> {
    const c = await SignalingTestClient.connect(media.signalingUrl);
    clients.push(c);
    return c;
  }

  async function joined(identity: string, roomId: string, extra: Record<string, unknown> = {}) {
    const c = await client();
    const reply = await c.request('join', { grant: await grantFor(identity, roomId, extra) });
    return { c, reply };
  }

  /** A grant signed by the real platform key through auth's signing command, with chosen claims. */
  async function platformSigned(claims: Record<string, unknown>, ttlSeconds: number): Promise<string> {
    const message = await nc.request(
      SignPlatformToken.subject,
      new TextEncoder().encode(
        JSON.stringify({ audience: 'confer:join-grant', subject: String(claims.peer), claims, ttlSeconds }),
      ),
      { timeout: 2000 },
    );
    const result = JSON.parse(new TextDecoder().decode(message.data)) as {
      ok: boolean;
      reply: { token: string };
    };
    if (!result.ok) throw new Error(`signing failed: ${JSON.stringify(result)}`);
    return result.reply.token;
  }

  const claimsFor = (peer: string, overrides: Record<string, unknown> = {}) => ({
    org: f.org.orgId,
    room: 'crafted',
    session: 'sess',
    conferenceNumber: '12345678',
    peer,
    connection: `conn-${peer}`,
    role: 'participant',
    perms: { publishAudio: true, publishVideo: true, shareScreen: true, subscribe: true },
    mediaServer: 'serv0',
    ...overrides,
  });

  it('runs the configured number of real workers and puts each new room on the least-loaded one', async () => {
    expect(media.workers.size).toBe(2);
    const pids = media.workers.loads.map((w) => w.pid);
    expect(new Set(pids).size).toBe(2);
    for (const pid of pids) expect(() => process.kill(pid, 0)).not.toThrow();

    // Two first joiners at once get one room and one router.
    const [a, b] = await Promise.all([media.rooms.getOrCreate('o/r1'), media.rooms.getOrCreate('o/r1')]);
    expect(a).toBe(b);
    const c = await media.rooms.getOrCreate('o/r2');
    expect(c.router.id).not.toBe(a.router.id);
    expect(media.workers.loads.map((w) => w.load)).toEqual([1, 1]);

    const codecs = a.router.rtpCapabilities.codecs!.map((codec) => codec.mimeType);
    expect(codecs).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8', 'video/VP9', 'video/H264']));

    let closed = 0;
    a.once('close', () => closed++);
    a.close();
    a.close();
    c.close();
    expect(closed).toBe(1);
    expect(media.workers.loads.map((w) => w.load)).toEqual([0, 0]);
    expect(await media.rooms.getOrCreate('o/r1')).not.toBe(a);
    (await media.rooms.getOrCreate('o/r1')).close();
  });

  it('admits two participants, gives them WebRTC transports on loopback, and lets one consume the other', async () => {
    const alice = await joined('alice', 'media-1');
    expect(alice.reply).toMatchObject({
      protocolVersion: 1,
      peerId: 'alice',
      role: 'participant',
      permissions: { publishAudio: true, publishVideo: true, subscribe: true },
      peers: [],
    });
    const bob = await joined('bob', 'media-1');
    expect(bob.reply.peers).toEqual([{ peerId: 'alice', role: 'participant' }]);
    expect(await alice.c.next('peerJoined')).toEqual({ peerId: 'bob', role: 'participant' });

    const send = await alice.c.request('createTransport', { direction: 'send' });
    const candidates = send.iceCandidates as Array<{ ip: string; protocol: string }>;
    expect(candidates.map((c) => c.ip)).toEqual(['127.0.0.1', '127.0.0.1']);
    expect(candidates.map((c) => c.protocol).sort()).toEqual(['tcp', 'udp']);
    expect(send.dtlsParameters).toHaveProperty('fingerprints');

    const { producerId } = await alice.c.request('produce', {
      transportId: send.transportId,
      kind: 'audio',
      source: 'microphone',
      rtpParameters: OPUS,
    });
    const video = await alice.c.request('produce', {
      transportId: send.transportId,
      kind: 'video',
      source: 'camera',
      rtpParameters: VP8,
    });
    expect(await bob.c.next('producerAdded', (p) => p.producerId === producerId)).toEqual({
      peerId: 'alice',
      producerId,
      kind: 'audio',
      source: 'microphone',
      paused: false,
    });

    const recv = await bob.c.request('createTransport', { direction: 'recv' });
    const consumer = await bob.c.request('consume', {
      transportId: recv.transportId,
      producerId: video.producerId,
      rtpCapabilities: bob.reply.routerRtpCapabilities,
    });
    expect(consumer).toMatchObject({
      producerId: video.producerId,
      peerId: 'alice',
      kind: 'video',
      paused: true,
    });
    await bob.c.request('resumeConsumer', { consumerId: consumer.consumerId });

    // A later joiner learns of the producers already there.
    const carol = await joined('carol', 'media-1');
    expect(carol.reply.producers.map((p) => p.producerId).sort()).toEqual(
      [producerId, video.producerId].sort(),
    );

    // The service's /metrics says what it carries now, as a scrape reads it.
    const metrics = await scrape(media.baseUrl);
    expect(sampleSum(metrics, 'media_rooms')).toBeGreaterThanOrEqual(1);
    expect(sampleSum(metrics, 'media_peers', { attached: 'true' })).toBeGreaterThanOrEqual(3);
    expect(sampleSum(metrics, 'media_peers_admitted_total')).toBeGreaterThanOrEqual(3);
    expect(sampleSum(metrics, 'media_producers', { kind: 'video' })).toBeGreaterThanOrEqual(1);
    expect(sampleSum(metrics, 'media_consumers', { kind: 'video' })).toBeGreaterThanOrEqual(1);

    await alice.c.request('closeProducer', { producerId: video.producerId });
    expect(await bob.c.next('consumerClosed')).toEqual({
      consumerId: consumer.consumerId,
      producerId: video.producerId,
    });
    expect(await bob.c.next('producerClosed')).toEqual({ peerId: 'alice', producerId: video.producerId });

    alice.c.close();
    expect(await bob.c.next('peerLeft')).toEqual({ peerId: 'alice', reason: 'left' });
  });

  it('refuses a webinar viewer any producer, but lets it receive', async () => {
    const speaker = await joined('spk', 'webinar-m', { role: 'speaker' });
    const viewer = await joined('vic', 'webinar-m', { role: 'viewer' });
    expect(viewer.reply).toMatchObject({
      role: 'viewer',
      permissions: { publishAudio: false, publishVideo: false, shareScreen: false, subscribe: true },
    });
    const viewerSend = await viewer.c.request('createTransport', { direction: 'send' });
    for (const [kind, source, rtpParameters] of [
      ['audio', 'microphone', OPUS],
      ['video', 'camera', VP8],
      ['video', 'screen', VP8],
    ] as const) {
      const refusal = await viewer.c
        .request('produce', { transportId: viewerSend.transportId, kind, source, rtpParameters })
        .catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(SignalingRefusal);
      expect((refusal as SignalingRefusal).error).toEqual({
        code: 'not_allowed_to_publish',
        message: expect.stringContaining(`may not publish ${source}`),
      });
    }
    expect(speaker.c.notifications.filter((n) => n.notification === 'producerAdded')).toEqual([]);

    const send = await speaker.c.request('createTransport', { direction: 'send' });
    const { producerId } = await speaker.c.request('produce', {
      transportId: send.transportId,
      kind: 'video',
      source: 'camera',
      rtpParameters: VP8,
    });
    const recv = await viewer.c.request('createTransport', { direction: 'recv' });
    const consumer = await viewer.c.request('consume', {
      transportId: recv.transportId,
      producerId,
      rtpCapabilities: viewer.reply.routerRtpCapabilities,
    });
    expect(consumer.kind).toBe('video');
  });

  it('lets only granted kinds be produced, from the source that carries them', async () => {
    const muted = await client();
    await muted.request('join', {
      grant: await platformSigned(
        claimsFor('mic-only', {
          perms: { publishAudio: true, publishVideo: false, shareScreen: false, subscribe: true },
        }),
        60,
      ),
    });
    const send = await muted.request('createTransport', { direction: 'send' });
    await expect(
      muted.request('produce', {
        transportId: send.transportId,
        kind: 'video',
        source: 'camera',
        rtpParameters: VP8,
      }),
    ).rejects.toMatchObject({ error: { code: 'not_allowed_to_publish' } });
    await expect(
      muted.request('produce', {
        transportId: send.transportId,
        kind: 'video',
        source: 'microphone',
        rtpParameters: VP8,
      }),
    ).rejects.toMatchObject({ error: { code: 'not_allowed_to_publish' } });
    await expect(
      muted.request('produce', {
        transportId: send.transportId,
        kind: 'audio',
        source: 'microphone',
        rtpParameters: OPUS,
      }),
    ).resolves.toHaveProperty('producerId');
  });

  it('refuses a forged grant and closes the socket', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const kid = (await exportJWK(publicKey)).kid ?? 'forged';
    const forged = await new SignJWT(claimsFor('mallory'))
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(f.auth.env.PUBLIC_URL)
      .setAudience('confer:join-grant')
      .setSubject('mallory')
      .setExpirationTime('1m')
      .sign(privateKey);
    const c = await client();
    await expect(c.request('join', { grant: forged })).rejects.toMatchObject({
      error: { code: 'invalid_grant' },
    });
    expect((await c.closed).code).toBe(4401);
  });

  it('refuses a grant that expired, one for another media server, and one for another audience', async () => {
    const wrongServer = await client();
    await expect(
      wrongServer.request('join', {
        grant: await platformSigned(claimsFor('x', { mediaServer: 'serv9' }), 60),
      }),
    ).rejects.toMatchObject({ error: { code: 'wrong_media_server' } });

    const accessToken = await client();
    await expect(accessToken.request('join', { grant: f.accessToken })).rejects.toMatchObject({
      error: { code: 'invalid_grant' },
    });

    const expiring = await platformSigned(claimsFor('late'), 1);
    // Expiry is checked with 5 s of tolerance for clock skew between auth and media.
    await new Promise((r) => setTimeout(r, 7000));
    const late = await client();
    await expect(late.request('join', { grant: expiring })).rejects.toMatchObject({
      error: { code: 'invalid_grant', message: expect.stringContaining('expired') },
    });
    expect((await late.closed).code).toBe(4401);
  }, 20000);

  it('answers nothing but join before joining, and malformed requests with stable codes', async () => {
    const c = await client();
    expect(await c.sendRaw('not json')).toMatchObject({
      id: null,
      ok: false,
      error: { code: 'invalid_message' },
    });
    expect(await c.sendRaw(JSON.stringify({ id: 1, method: 'fly', data: {} }))).toMatchObject({
      id: 1,
      error: { code: 'unknown_method' },
    });
    expect(await c.sendRaw(JSON.stringify({ id: 2, method: 'join', data: { grant: 42 } }))).toMatchObject({
      id: 2,
      error: { code: 'invalid_message' },
    });
    await expect(c.request('createTransport', { direction: 'send' })).rejects.toMatchObject({
      error: { code: 'not_joined' },
    });
    expect((await c.closed).code).toBe(4400);
  });

  it("passes on a display name: the grant's first, else the one the client gave", async () => {
    const named = await client();
    await named.request('join', {
      grant: await platformSigned(claimsFor('named', { room: 'names', displayName: 'Dr Who' }), 60),
      displayName: 'ignored, the grant has one',
    });
    const self = await client();
    const reply = await self.request('join', {
      grant: await platformSigned(claimsFor('self', { room: 'names' }), 60),
      displayName: '  Ana Lima ',
    });
    expect(reply.peers).toEqual([{ peerId: 'named', role: 'participant', displayName: 'Dr Who' }]);
    expect(await named.next('peerJoined')).toEqual({
      peerId: 'self',
      role: 'participant',
      displayName: 'Ana Lima',
    });
    expect(
      await self.sendRaw(JSON.stringify({ id: 9, method: 'join', data: { grant: 'x', displayName: '' } })),
    ).toMatchObject({ id: 9, ok: false, error: { code: 'invalid_message' } });
  });

  it('replaces an older connection of the same peer, which is told why', async () => {
    const first = await joined('dup', 'media-dup');
    const second = await joined('dup', 'media-dup');
    expect(await first.c.next('sessionClosed')).toEqual({ reason: 'replaced' });
    expect((await first.c.closed).code).toBe(4409);
    // The room lives on with the new connection.
    const send = await second.c.request('createTransport', { direction: 'send' });
    expect(send.transportId).toBeTruthy();
  });
});
