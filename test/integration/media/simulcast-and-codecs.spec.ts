import { startMediaService } from '../../support/media-service.harness';
import { SignalingTestClient } from '../../support/media-signaling.client';
import { MediaFixture, OPUS, startMediaFixture } from './media-fixture';

/** Three simulcast encodings, lowest first, as mediasoup-client sends them. */
const SIMULCAST_VP8 = {
  codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }],
  encodings: [
    { ssrc: 1001, scaleResolutionDownBy: 4, maxBitrate: 150_000 },
    { ssrc: 1002, scaleResolutionDownBy: 2, maxBitrate: 500_000 },
    { ssrc: 1003, scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
  ],
};
const VP9 = {
  codecs: [{ mimeType: 'video/VP9', payloadType: 98, clockRate: 90000, parameters: { 'profile-id': 0 } }],
  encodings: [{ ssrc: 2001, scalabilityMode: 'L3T3' }],
};
const H264 = {
  codecs: [
    {
      mimeType: 'video/H264',
      payloadType: 102,
      clockRate: 90000,
      parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
    },
  ],
  encodings: [{ ssrc: 3001 }],
};

describe('codecs, simulcast layers by tile size, and addresses', () => {
  let m: MediaFixture;

  beforeAll(async () => {
    m = await startMediaFixture();
  });
  afterEach(() => m.closeClients());
  afterAll(async () => {
    await m?.close();
  });

  const serverConsumer = (roomId: string, peerId: string, consumerId: string) =>
    m.media.rooms.find(`${m.f.org.orgId}/${roomId}`)!.peer(peerId)!.consumer(consumerId)!;

  it('offers opus, VP8, VP9 (profiles 0 and 2) and H.264, and carries each', async () => {
    const ana = await m.joined('ana', 'codecs-1');
    const ben = await m.joined('ben', 'codecs-1');
    const codecs = (
      ana.reply.routerRtpCapabilities.codecs as Array<{
        mimeType: string;
        parameters?: Record<string, unknown>;
      }>
    )
      .filter((c) => !c.mimeType.endsWith('/rtx'))
      .map(
        (c) =>
          `${c.mimeType}${c.parameters?.['profile-id'] !== undefined ? `:${c.parameters['profile-id']}` : ''}${c.parameters?.['profile-level-id'] ? `:${c.parameters['profile-level-id']}` : ''}`,
      );
    expect(codecs).toEqual(
      expect.arrayContaining([
        'audio/opus',
        'video/VP8',
        'video/VP9:0',
        'video/VP9:2',
        'video/H264:4d0032',
        'video/H264:42e01f',
      ]),
    );
    const send = await ana.c.request('createTransport', { direction: 'send' });
    const recv = await ben.c.request('createTransport', { direction: 'recv' });
    for (const [kind, source, rtpParameters, mimeType] of [
      ['audio', 'microphone', OPUS, 'audio/opus'],
      ['video', 'camera', VP9, 'video/VP9'],
      ['video', 'screen', H264, 'video/H264'],
    ] as const) {
      const { producerId } = await ana.c.request('produce', {
        transportId: send.transportId,
        kind,
        source,
        rtpParameters,
      });
      const consumer = await ben.c.request('consume', {
        transportId: recv.transportId,
        producerId,
        rtpCapabilities: ben.reply.routerRtpCapabilities,
      });
      expect((consumer.rtpParameters.codecs as Array<{ mimeType: string }>)[0].mimeType).toBe(mimeType);
    }
  });

  it('picks a simulcast layer from the viewer tile, and pauses a hidden tile on the server', async () => {
    const ana = await m.joined('ana', 'simulcast-1');
    const ben = await m.joined('ben', 'simulcast-1');
    const send = await ana.c.request('createTransport', { direction: 'send' });
    const { producerId } = await ana.c.request('produce', {
      transportId: send.transportId,
      kind: 'video',
      source: 'camera',
      rtpParameters: SIMULCAST_VP8,
      maxHeight: 720,
    });
    const recv = await ben.c.request('createTransport', { direction: 'recv' });
    const { consumerId } = await ben.c.request('consume', {
      transportId: recv.transportId,
      producerId,
      rtpCapabilities: ben.reply.routerRtpCapabilities,
    });
    const consumer = serverConsumer('simulcast-1', 'ben', consumerId);
    expect(consumer.type).toBe('simulcast');
    await ben.c.request('resumeConsumer', { consumerId });
    expect(consumer.paused).toBe(false);

    expect(await ben.c.request('setConsumerTileSize', { consumerId, width: 320, height: 180 })).toEqual({
      spatialLayer: 0,
      hidden: false,
    });
    expect(consumer.preferredLayers?.spatialLayer).toBe(0);
    expect(await ben.c.request('setConsumerTileSize', { consumerId, width: 640, height: 360 })).toMatchObject(
      {
        spatialLayer: 1,
      },
    );
    expect(consumer.preferredLayers?.spatialLayer).toBe(1);
    await ben.c.request('setConsumerTileSize', { consumerId, width: 1920, height: 1080 });
    expect(consumer.preferredLayers?.spatialLayer).toBe(2);

    // Hidden: the server stops sending, and a resume from the client does not override the tile.
    expect(
      await ben.c.request('setConsumerTileSize', { consumerId, width: 640, height: 360, visible: false }),
    ).toEqual({
      hidden: true,
    });
    expect(consumer.paused).toBe(true);
    await ben.c.request('resumeConsumer', { consumerId });
    expect(consumer.paused).toBe(true);
    await ben.c.request('setConsumerTileSize', { consumerId, width: 320, height: 180, visible: true });
    expect(consumer.paused).toBe(false);
    expect(consumer.preferredLayers?.spatialLayer).toBe(0);
    // And a client pause holds while the tile shows.
    await ben.c.request('pauseConsumer', { consumerId });
    expect(consumer.paused).toBe(true);
    await ben.c.request('resumeConsumer', { consumerId });
    expect(consumer.paused).toBe(false);

    await ben.c.request('setConsumerPreferredLayers', { consumerId, spatialLayer: 1, temporalLayer: 0 });
    expect(consumer.preferredLayers).toEqual({ spatialLayer: 1, temporalLayer: 0 });
    await expect(
      ben.c.request('setConsumerTileSize', { consumerId: 'nope', width: 1, height: 1 }),
    ).rejects.toMatchObject({ error: { code: 'consumer_not_found' } });
    expect(
      await ben.c.sendRaw(
        JSON.stringify({
          id: 50,
          method: 'setConsumerTileSize',
          data: { consumerId, width: -5, height: 10 },
        }),
      ),
    ).toMatchObject({ id: 50, ok: false, error: { code: 'invalid_message' } });
  });

  it('announces the configured address in ICE candidates while listening on loopback', async () => {
    const announcing = await startMediaService(m.f.auth, {
      ROOMS_URL: m.f.rooms.baseUrl,
      MEDIA_LISTEN_IP: '127.0.0.1',
      MEDIA_ANNOUNCED_IP: '203.0.113.10',
    });
    const c = await SignalingTestClient.connect(announcing.signalingUrl);
    try {
      await c.request('join', { grant: await m.platformSigned(m.claimsFor('nat', 'announce-1')) });
      const transport = await c.request('createTransport', { direction: 'recv' });
      expect((transport.iceCandidates as Array<{ ip: string }>).map((x) => x.ip)).toEqual([
        '203.0.113.10',
        '203.0.113.10',
      ]);
    } finally {
      c.close();
      await announcing.close();
    }
  });
});
