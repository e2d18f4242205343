import dgram from 'dgram';
import type { types } from 'mediasoup';
import type { SignalingNotification } from '@confer/contracts';
import { loadMediaConfig, workerBinOf } from '../../../apps/media/src/config/media.config';
import { Peer, ProducerAppData } from '../../../apps/media/src/peers/peer';
import { Room } from '../../../apps/media/src/rooms/room';
import { WorkerPool } from '../../../apps/media/src/workers/worker-pool';
import type { SignalingTestClient } from '../../support/media-signaling.client';
import { MediaFixture, OPUS, startMediaFixture, VP8 } from './media-fixture';

const SCREEN = { ...VP8, encodings: [{ ssrc: 33333333 }] };

describe('media events on the bus and to the room', () => {
  let m: MediaFixture;

  beforeAll(async () => {
    m = await startMediaFixture({ MEDIA_RECONNECT_GRACE_SECONDS: '0.2' });
  });
  afterEach(() => m.closeClients());
  afterAll(async () => {
    await m?.close();
  });

  const ofTrack = (type: string, trackId: string) =>
    m.f.tap.of(type).filter((e) => (e.data as { trackId: string }).trackId === trackId);

  async function produce(
    c: SignalingTestClient,
    transportId: string,
    source: 'camera' | 'screen' | 'microphone',
  ) {
    const { producerId } = await c.request('produce', {
      transportId,
      kind: source === 'microphone' ? 'audio' : 'video',
      source,
      rtpParameters: source === 'microphone' ? OPUS : source === 'camera' ? VP8 : SCREEN,
    });
    return producerId;
  }

  it('announces tracks published, paused, resumed and unpublished, and screen shares, with why they ended', async () => {
    const ana = await m.joined('ana', 'events-1');
    const ben = await m.joined('ben', 'events-1');
    const send = await ana.c.request('createTransport', { direction: 'send' });
    const camera = await produce(ana.c, send.transportId, 'camera');
    const screen = await produce(ana.c, send.transportId, 'screen');
    await ana.c.request('pauseProducer', { producerId: camera });
    await ana.c.request('resumeProducer', { producerId: camera });
    expect(await ben.c.next('screenShareStarted')).toEqual({ peerId: 'ana', producerId: screen });
    await ana.c.request('closeProducer', { producerId: screen });
    expect(await ben.c.next('screenShareStopped')).toEqual({
      peerId: 'ana',
      producerId: screen,
      reason: 'closed',
    });

    await m.f.tap.waitFor(() => ofTrack('screen-share.stopped', screen).length === 1);
    const [published] = ofTrack('track.published', camera);
    expect(published).toMatchObject({
      source: '/confer/media',
      orgid: m.f.org.orgId,
      roomid: 'events-1',
      data: {
        roomId: 'events-1',
        conferenceNumber: expect.stringMatching(/^\d{8}$/),
        peerId: 'ana',
        connectionId: ana.join.connectionId,
        trackId: camera,
        kind: 'video',
        source: 'camera',
        paused: false,
        mediaServer: 'serv0',
      },
    });
    expect(ofTrack('track.paused', camera)).toHaveLength(1);
    expect(ofTrack('track.resumed', camera)).toHaveLength(1);
    expect(ofTrack('track.unpublished', screen)[0].data).toMatchObject({
      source: 'screen',
      reason: 'closed',
    });
    expect(ofTrack('screen-share.started', screen)[0].data).toMatchObject({ peerId: 'ana', trackId: screen });
    expect(ofTrack('screen-share.stopped', screen)[0].data).toMatchObject({ reason: 'closed' });
    // In the order they happened, one each.
    const order = m.f.tap.events
      .filter((e) => [camera, screen].includes((e.data as { trackId?: string }).trackId ?? ''))
      .map(
        (e) =>
          `${e.type.replace('io.confer.', '')}:${(e.data as { trackId: string }).trackId === camera ? 'cam' : 'scr'}`,
      );
    expect(order).toEqual([
      'track.published:cam',
      'track.published:scr',
      'screen-share.started:scr',
      'track.paused:cam',
      'track.resumed:cam',
      'track.unpublished:scr',
      'screen-share.stopped:scr',
    ]);

    // A moderator turning the camera off, then the peer leaving, each give their reason.
    const mod = await m.joined('boss', 'events-1', { role: 'moderator' });
    const second = await produce(ana.c, send.transportId, 'microphone');
    await fetch(`${m.f.rooms.baseUrl}/v1/rooms/events-1/peers/ana/moderation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'disable_video', connectionId: mod.join.connectionId }),
    });
    await m.f.tap.waitFor(() => ofTrack('track.unpublished', camera).length === 1);
    expect(ofTrack('track.unpublished', camera)[0].data).toMatchObject({ reason: 'moderator', by: 'boss' });
    await ana.c.request('leave', {});
    await m.f.tap.waitFor(() => ofTrack('track.unpublished', second).length === 1);
    expect(ofTrack('track.unpublished', second)[0].data).toMatchObject({
      reason: 'peer_left',
      source: 'microphone',
    });
  });
});

/** An RTP packet with the RFC 6464 audio level (0 = loudest, 127 = silence) in a one-byte header extension. */
function audioPacket(sequence: number, ssrc: number, level: number): Buffer {
  const packet = Buffer.alloc(12 + 8 + 40, 0x55);
  packet[0] = 0x90; // version 2, extension
  packet[1] = 100;
  packet.writeUInt16BE(sequence, 2);
  packet.writeUInt32BE(sequence * 960, 4);
  packet.writeUInt32BE(ssrc, 8);
  packet.writeUInt16BE(0xbede, 12);
  packet.writeUInt16BE(1, 14);
  packet[16] = 0x10; // id 1, one byte
  packet[17] = 0x80 | level; // voice activity
  packet[18] = 0;
  packet[19] = 0;
  packet[20] = 0x78;
  return packet;
}

describe('active speaker', () => {
  it('names the loudest speaker of a room to its peers as it changes', async () => {
    const pool = await WorkerPool.create({
      count: 1,
      workerBin: workerBinOf(loadMediaConfig({ MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN })),
      logLevel: 'error',
      rtcMinPort: 40000,
      rtcMaxPort: 49999,
      onWorkerDied: () => undefined,
    });
    const room = await Room.create('org/speakers', pool.leastLoaded(), { activeSpeakerMinIntervalMs: 800 });
    const heard: Array<{ notification: SignalingNotification; data: unknown }> = [];
    const grant = (peer: string) => ({
      org: 'org',
      room: 'speakers',
      session: 's',
      conferenceNumber: '12345678',
      peer,
      connection: `c-${peer}`,
      role: 'participant',
      perms: { publishAudio: true, publishVideo: true, shareScreen: true, subscribe: true },
      mediaServer: 'serv0',
      expiresAt: 0,
    });
    const listener = new Peer(grant('listener'), (notification, data) => heard.push({ notification, data }));
    room.admit(listener);
    const speakers: Record<
      string,
      { producer: types.Producer<ProducerAppData>; port: number; ssrc: number }
    > = {};
    const socket = dgram.createSocket('udp4');
    try {
      for (const [i, name] of ['ana', 'ben'].entries()) {
        const peer = new Peer(grant(name), () => undefined);
        room.admit(peer);
        const transport = await room.router.createPlainTransport({
          listenIp: '127.0.0.1',
          rtcpMux: true,
          comedia: true,
        });
        const ssrc = 5000 + i;
        const producer = await transport.produce<ProducerAppData>({
          kind: 'audio',
          rtpParameters: {
            codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
            encodings: [{ ssrc }],
            headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level', id: 1 }],
          },
          appData: { peerId: name, source: 'microphone' },
        });
        await room.observeSpeaker(producer);
        speakers[name] = { producer, port: transport.tuple.localPort, ssrc };
      }
      const speakerNotices = () =>
        heard
          .filter((h) => h.notification === 'activeSpeaker')
          .map((h) => (h.data as { peerId: string }).peerId);
      let sequence = 0;
      /** One speaker talks (the other is silent) until the room names it, for at most `maxMs`. */
      const talkUntilNamed = async (loud: string, maxMs: number) => {
        const until = Date.now() + maxMs;
        while (Date.now() < until && speakerNotices().at(-1) !== loud) {
          sequence++;
          for (const [name, s] of Object.entries(speakers))
            // Speech comes and goes (syllables); the algorithm judges it against each speaker's noise floor.
            socket.send(
              audioPacket(sequence, s.ssrc, name === loud ? (sequence % 10 < 6 ? 5 : 90) : 127),
              s.port,
              '127.0.0.1',
            );
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await talkUntilNamed('ana', 8000);
      expect(speakerNotices()).toEqual(['ana']);
      await talkUntilNamed('ben', 8000);
      expect(speakerNotices()).toEqual(['ana', 'ben']);
      // Ben goes on for two more level reports; ana stays silent.
      const keepTalking = setInterval(() => {
        sequence++;
        socket.send(
          audioPacket(sequence, speakers.ben.ssrc, sequence % 10 < 6 ? 5 : 90),
          speakers.ben.port,
          '127.0.0.1',
        );
        socket.send(audioPacket(sequence, speakers.ana.ssrc, 127), speakers.ana.port, '127.0.0.1');
      }, 20);
      await new Promise((r) => setTimeout(r, 2200));
      clearInterval(keepTalking);
      // Speaking indicators: ben's level is heard, ana's silence is below the threshold.
      const levels = heard
        .filter((h) => h.notification === 'audioLevels')
        .map((h) => (h.data as { levels: Array<{ peerId: string; volume: number }> }).levels);
      const lastLoud = levels.filter((l) => l.length > 0).at(-1)!;
      expect(lastLoud.map((l) => l.peerId)).toEqual(['ben']);
      expect(lastLoud[0].volume).toBeGreaterThan(-60);
      expect(heard.find((h) => h.notification === 'activeSpeaker')?.data).toEqual({
        peerId: 'ana',
        producerId: speakers.ana.producer.id,
      });
    } finally {
      socket.close();
      room.close();
      pool.close();
    }
  }, 25000);
});
