import { createSocket, Socket } from 'node:dgram';
import { randomUUID } from 'node:crypto';
import { connect, createInbox, Msg, NatsConnection } from 'nats';
import {
  CloseRecorderSession,
  CommandContract,
  OpenRecorderSession,
  RecorderConsume,
  RecorderRelease,
  RecorderRequestKeyFrame,
  RecorderRoster,
  RenewRecorderSession,
  ReplyOf,
  RequestOf,
  StartRoomRecording,
  StopRoomRecording,
} from '@confer/contracts';
import { RecorderSessions } from '../../../apps/media/src/recorders/recorder-sessions';
import { RunningMediaService, startMediaService } from '../../support/media-service.harness';
import { SignalingRefusal, SignalingTestClient } from '../../support/media-signaling.client';
import { SyntheticPeer, SyntheticPublish } from '../../support/synthetic-peer';
import { MediaFixture, startMediaFixture } from './media-fixture';

const LEASE_SECONDS = 2;

/** Three simulcast encodings, lowest first, as mediasoup-client sends them (720p on top). */
const SIMULCAST_VP8 = {
  codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }],
  encodings: [
    { ssrc: 1001, scaleResolutionDownBy: 4 },
    { ssrc: 1002, scaleResolutionDownBy: 2 },
    { ssrc: 1003, scaleResolutionDownBy: 1 },
  ],
};
const VP9_SVC = {
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
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const decode = (msg: Msg) => JSON.parse(new TextDecoder().decode(msg.data)) as unknown;

class NoAnswer extends Error {}
class Refused extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/** A recorder's roster feed: every roster received on its own subject. */
interface Feed {
  subject: string;
  rosters: RecorderRoster[];
  next(where: (roster: RecorderRoster) => boolean, timeoutMs?: number): Promise<RecorderRoster>;
}

/** Packets received on a loopback port, by SSRC. */
interface RtpSink {
  port: number;
  rtcpPort: number;
  packets(ssrc: number): number;
  close(): void;
}

async function bound(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

async function rtpSink(): Promise<RtpSink> {
  const rtp = await bound();
  const rtcp = await bound();
  const counts = new Map<number, number>();
  rtp.on('message', (packet) => {
    // RTP version 2, not RTCP (payload types 200–207 in the second byte).
    if (packet.length < 12 || packet[0] >> 6 !== 2 || (packet[1] >= 200 && packet[1] <= 207)) return;
    const ssrc = packet.readUInt32BE(8);
    counts.set(ssrc, (counts.get(ssrc) ?? 0) + 1);
  });
  rtcp.on('message', () => undefined);
  return {
    port: rtp.address().port,
    rtcpPort: rtcp.address().port,
    packets: (ssrc) => counts.get(ssrc) ?? 0,
    close() {
      rtp.close();
      rtcp.close();
    },
  };
}

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The media service's side of recording: recorder sessions over NATS (every media process
 * hears them, the one carrying the room answers), rosters on the recorder's feed, plain RTP
 * to the recorder, the room shown as recorded, and startRecording / stopRecording relayed
 * to the recording service (here a stand-in on the test's NATS). Peers are synthetic:
 * ffmpeg's test pattern and tone over plain RTP.
 */
describe('recorder sessions', () => {
  let m: MediaFixture;
  let other: RunningMediaService;
  let nc: NatsConnection;
  const peers: SyntheticPeer[] = [];
  const sinks: RtpSink[] = [];

  beforeAll(async () => {
    m = await startMediaFixture({
      MEDIA_PLAIN_INGEST: 'true',
      MEDIA_RECORDER_LEASE_SECONDS: String(LEASE_SECONDS),
    });
    // A second media process on the same bus, carrying none of the rooms (and defaults: no plain ingest).
    other = await startMediaService(m.f.auth, { ROOMS_URL: m.f.rooms.baseUrl, NATS_URL: m.f.auth.natsUrl });
    nc = await connect({ servers: m.f.auth.natsUrl });
  }, 60_000);
  afterEach(async () => {
    for (const timer of renewals.splice(0)) clearInterval(timer);
    for (const sink of sinks.splice(0)) sink.close();
    await Promise.all(peers.splice(0).map((p) => p.close()));
    m.closeClients();
  });
  afterAll(async () => {
    await nc?.close();
    await other?.close();
    await m?.close();
  });

  /** A command as the recording service sends it: the reply, a refusal, or NoAnswer on timeout. */
  async function command<C extends CommandContract>(
    contract: C,
    request: RequestOf<C>,
    timeoutMs = 1500,
  ): Promise<ReplyOf<C>> {
    let msg: Msg;
    try {
      msg = await nc.request(contract.subject, encode(request), { timeout: timeoutMs });
    } catch {
      throw new NoAnswer(`no answer to ${contract.subject}`);
    }
    const result = decode(msg) as { ok: boolean; reply?: ReplyOf<C>; error?: { code: string } };
    if (!result.ok) throw new Refused(result.error!.code);
    return result.reply!;
  }

  /** How many processes answer one request within `ms`. */
  async function answersTo<C extends CommandContract>(contract: C, request: RequestOf<C>, ms = 1000) {
    const inbox = createInbox();
    const answers: unknown[] = [];
    const sub = nc.subscribe(inbox, { callback: (_err, msg) => answers.push(decode(msg)) });
    nc.publish(contract.subject, encode(request), { reply: inbox });
    await new Promise((r) => setTimeout(r, ms));
    sub.unsubscribe();
    return answers;
  }

  function feed(): Feed {
    const subject = `test.recorder-feed.${randomUUID()}`;
    const rosters: RecorderRoster[] = [];
    const wakers = new Set<() => void>();
    nc.subscribe(subject, {
      callback: (_err, msg) => {
        rosters.push(decode(msg) as RecorderRoster);
        for (const wake of wakers) wake();
      },
    });
    return {
      subject,
      rosters,
      next(where, timeoutMs = 5000) {
        const found = () => rosters.find(where);
        return new Promise((resolve, reject) => {
          const hit = found();
          if (hit) return resolve(hit);
          const timer = setTimeout(() => {
            wakers.delete(wake);
            reject(
              new Error(`no such roster within ${timeoutMs} ms (last: ${JSON.stringify(rosters.at(-1))})`),
            );
          }, timeoutMs);
          const wake = () => {
            const roster = found();
            if (!roster) return;
            clearTimeout(timer);
            wakers.delete(wake);
            resolve(roster);
          };
          wakers.add(wake);
        });
      },
    };
  }

  async function synthetic(
    identity: string,
    roomId: string,
    options: { displayName?: string; publish?: SyntheticPublish } = {},
    grantExtra: Record<string, unknown> = {},
  ): Promise<SyntheticPeer> {
    const join = await m.grantFor(identity, roomId, grantExtra);
    const peer = await SyntheticPeer.join({
      signalingUrl: m.media.signalingUrl,
      grant: join.grant.token,
      displayName: options.displayName,
      publish: options.publish ?? 'camera+microphone',
    });
    peers.push(peer);
    return peer;
  }

  /** An interpreter speaking German: a peer, whose language channel a recorder never sees. */
  async function interpreter(roomId: string): Promise<SyntheticPeer> {
    const grant = await m.platformSigned(
      m.claimsFor('interp-de', roomId, { role: 'interpreter', intLang: 'de', displayName: 'Dolmetscherin' }),
    );
    const peer = await SyntheticPeer.join({
      signalingUrl: m.media.signalingUrl,
      grant,
      publish: 'microphone',
    });
    peers.push(peer);
    return peer;
  }

  const openFor = (roomId: string, f: Feed) =>
    command(OpenRecorderSession, {
      orgId: m.f.org.orgId,
      roomId,
      recordingId: `rec-${roomId}`,
      feedSubject: f.subject,
    });

  /** As a live recorder does: renews its session well within the lease, until the test ends. */
  const renewals: NodeJS.Timeout[] = [];
  function renewing(sessionId: string): void {
    const timer = setInterval(
      () => void command(RenewRecorderSession, { sessionId }, 500).catch(() => clearInterval(timer)),
      (LEASE_SECONDS * 1000) / 4,
    );
    renewals.push(timer);
  }

  const peerIn = (roster: RecorderRoster, peerId: string) => roster.peers.find((p) => p.peerId === peerId);

  it('follows a room: its roster, each change within a second, plain RTP to the recorder, the room shown as recorded', async () => {
    const roomId = `rec-room-${randomUUID().slice(0, 8)}`;
    const ana = await synthetic('ana', roomId, { displayName: 'Ana' });
    const ben = await synthetic('ben', roomId, { displayName: 'Ben', publish: 'camera' });
    const interp = await interpreter(roomId);
    const germanChannel = interp.producers.audio!.producerId;

    const f = feed();
    const { sessionId, roster } = await openFor(roomId, f);
    renewing(sessionId);
    expect(roster).toMatchObject({ sessionId, open: true });
    expect(roster.peers.map((p) => p.peerId).sort()).toEqual(['ana', 'ben', 'interp-de']);
    expect(peerIn(roster, 'ana')).toEqual({
      peerId: 'ana',
      displayName: 'Ana',
      role: 'participant',
      producers: expect.arrayContaining([
        { producerId: ana.producers.video!.producerId, kind: 'video', source: 'camera', paused: false },
        { producerId: ana.producers.audio!.producerId, kind: 'audio', source: 'microphone', paused: false },
      ]),
    });
    expect(peerIn(roster, 'ana')!.producers).toHaveLength(2);
    expect(peerIn(roster, 'ben')).toMatchObject({ displayName: 'Ben', producers: [{ source: 'camera' }] });
    // The interpreter is a peer of the room, but its language channel is never listed.
    expect(peerIn(roster, 'interp-de')!.producers).toEqual([]);
    expect(JSON.stringify(roster)).not.toContain(germanChannel);
    await expect(
      command(RecorderConsume, {
        sessionId,
        producerId: germanChannel,
        ip: '127.0.0.1',
        port: 9,
        rtcpPort: 10,
      }),
    ).rejects.toEqual(new Refused('producer_not_found'));

    // The peers see the room recorded; so does a later joiner, in its join reply.
    expect(await ana.client.next('recordingChanged')).toEqual({ recording: true });
    expect(await ben.client.next('recordingChanged')).toEqual({ recording: true });

    // The recorder receives Ana's camera as plain RTP on its own ports.
    const sink = await rtpSink();
    sinks.push(sink);
    const video = await command(RecorderConsume, {
      sessionId,
      producerId: ana.producers.video!.producerId,
      ip: '127.0.0.1',
      port: sink.port,
      rtcpPort: sink.rtcpPort,
      tileHeight: 360,
    });
    expect(video).toMatchObject({ kind: 'video', mimeType: 'video/VP8', clockRate: 90000 });
    expect(video.ssrc).toBeGreaterThan(0);
    await waitUntil(() => sink.packets(video.ssrc) >= 50, 5000);
    expect(await command(RecorderRequestKeyFrame, { sessionId, consumerId: video.consumerId })).toEqual({});
    const audio = await command(RecorderConsume, {
      sessionId,
      producerId: ana.producers.audio!.producerId,
      ip: '127.0.0.1',
      port: sink.port,
      rtcpPort: sink.rtcpPort,
    });
    expect(audio).toMatchObject({ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 });
    await waitUntil(() => sink.packets(audio.ssrc) >= 20, 5000);

    // A third peer joins: a new roster, a higher seq, within a second.
    const seqBefore = f.rosters.at(-1)?.seq ?? roster.seq;
    let since = Date.now();
    const carol = await synthetic('carol', roomId, { displayName: 'Carol', publish: 'none' });
    expect(carol.joined.recording).toBe(true);
    const withCarol = await f.next((r) => peerIn(r, 'carol') !== undefined, 1000);
    expect(Date.now() - since).toBeLessThan(1000);
    expect(withCarol.seq).toBeGreaterThan(seqBefore);
    expect(peerIn(withCarol, 'carol')).toEqual({
      peerId: 'carol',
      displayName: 'Carol',
      role: 'participant',
      producers: [],
    });

    // Ana turns her camera off: a new roster without it, within a second, and its RTP stops.
    since = Date.now();
    await ana.stopCamera();
    const cameraOff = await f.next(
      (r) => r.seq > withCarol.seq && peerIn(r, 'ana')?.producers.length === 1,
      1000,
    );
    expect(Date.now() - since).toBeLessThan(1000);
    expect(peerIn(cameraOff, 'ana')!.producers).toEqual([
      expect.objectContaining({ kind: 'audio', source: 'microphone' }),
    ]);
    // Its consumer went with the producer.
    await expect(
      command(RecorderRequestKeyFrame, { sessionId, consumerId: video.consumerId }),
    ).rejects.toEqual(new Refused('consumer_not_found'));
    await new Promise((r) => setTimeout(r, 300));
    const afterClose = sink.packets(video.ssrc);
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.packets(video.ssrc)).toBe(afterClose);

    // A released consumer stops; the session goes on.
    expect(await command(RecorderRelease, { sessionId, consumerId: audio.consumerId })).toEqual({});
    await expect(command(RecorderRelease, { sessionId, consumerId: audio.consumerId })).rejects.toEqual(
      new Refused('consumer_not_found'),
    );

    // Rosters keep coming while nothing changes (a heartbeat every 2 s), seq always growing.
    const quietFrom = f.rosters.length;
    await f.next((r) => f.rosters.indexOf(r) >= quietFrom, 3000);
    const seqs = f.rosters.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);

    // The recorder closes: the room is no longer shown as recorded.
    expect(await command(CloseRecorderSession, { sessionId })).toEqual({});
    expect(await ana.client.next('recordingChanged', (n) => !n.recording)).toEqual({ recording: false });
    expect(await carol.client.next('recordingChanged', (n) => !n.recording)).toEqual({ recording: false });
    await expect(command(RenewRecorderSession, { sessionId }, 500)).rejects.toBeInstanceOf(NoAnswer);
  }, 60_000);

  it('sends VP9 and H.264 as the router offers them, at the simulcast or SVC layer the tile needs', async () => {
    const roomId = `rec-codecs-${randomUUID().slice(0, 8)}`;
    const { c } = await m.joined('ana', roomId);
    const send = await c.request('createTransport', { direction: 'send' });
    const produce = async (rtpParameters: Record<string, unknown>) =>
      (
        await c.request('produce', {
          transportId: send.transportId,
          kind: 'video',
          source: 'camera',
          rtpParameters,
        })
      ).producerId;
    const simulcast = await produce(SIMULCAST_VP8);
    const svc = await produce(VP9_SVC);
    const h264 = await produce(H264);
    const { sessionId } = await openFor(roomId, feed());
    const session = m.media.app.get(RecorderSessions).held(sessionId);
    // Other tests' sessions may still be open: this one's consumers are counted on top of theirs.
    const consumersBefore = m.media.app.get(RecorderSessions).consumers;
    const sink = await rtpSink();
    sinks.push(sink);
    const consume = (producerId: string, tileHeight?: number) =>
      command(RecorderConsume, {
        sessionId,
        producerId,
        ip: '127.0.0.1',
        port: sink.port,
        rtcpPort: sink.rtcpPort,
        ...(tileHeight ? { tileHeight } : {}),
      });
    const layerOf = (consumerId: string) =>
      session.consumers.find((x) => x.id === consumerId)!.preferredLayers?.spatialLayer;

    // 720p on top: a 180-pixel tile takes the lowest layer, a 360-pixel one the middle, none the top.
    const small = await consume(simulcast, 180);
    expect(small).toMatchObject({ mimeType: 'video/VP8', clockRate: 90000 });
    expect(layerOf(small.consumerId)).toBe(0);
    expect(layerOf((await consume(simulcast, 360)).consumerId)).toBe(1);
    expect(layerOf((await consume(simulcast)).consumerId)).toBe(2);
    const vp9 = await consume(svc, 360);
    expect(vp9).toMatchObject({ mimeType: 'video/VP9', parameters: { 'profile-id': 0 } });
    expect(layerOf(vp9.consumerId)).toBe(1);
    const avc = await consume(h264, 720);
    expect(avc).toMatchObject({
      mimeType: 'video/H264',
      parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' },
    });
    expect(avc.payloadType).toBeGreaterThanOrEqual(96);
    expect(new Set([small.ssrc, vp9.ssrc, avc.ssrc]).size).toBe(3);

    // Each consumer has a transport of its own; the session's close takes them all.
    expect(session.consumers).toHaveLength(5);
    // The node's load reports count them with the peers' consumers.
    expect(m.media.app.get(RecorderSessions).consumers).toBe(consumersBefore + 5);
    await command(CloseRecorderSession, { sessionId });
    expect(session.consumers).toHaveLength(0);
    expect(m.media.app.get(RecorderSessions).consumers).toBe(consumersBefore);
  }, 30_000);

  it('lists a screen share, says the room closed in a last roster, and ends the session with it', async () => {
    const roomId = `rec-close-${randomUUID().slice(0, 8)}`;
    const ana = await synthetic('ana', roomId, { displayName: 'Ana', publish: 'microphone' });
    const bea = await synthetic('bea', roomId, { displayName: 'Bea', publish: 'screen' });
    const f = feed();
    const { sessionId, roster } = await openFor(roomId, f);
    expect(peerIn(roster, 'ana')!.producers).toEqual([expect.objectContaining({ source: 'microphone' })]);
    expect(peerIn(roster, 'bea')!.producers).toEqual([
      { producerId: bea.producers.video!.producerId, kind: 'video', source: 'screen', paused: false },
    ]);
    await bea.leave();
    await f.next((r) => r.open && peerIn(r, 'bea') === undefined, 1000);
    await ana.leave();
    const last = await f.next((r) => !r.open, 3000);
    expect(last).toMatchObject({ sessionId, open: false, peers: [] });
    expect(f.rosters.filter((r) => !r.open)).toHaveLength(1);
    await expect(command(RenewRecorderSession, { sessionId }, 500)).rejects.toBeInstanceOf(NoAnswer);
  }, 30_000);

  it('is answered by the process carrying the room only; an unknown room or session gets no answer', async () => {
    const roomId = `rec-held-${randomUUID().slice(0, 8)}`;
    await synthetic('ana', roomId, { publish: 'none' });
    const f = feed();
    const open = {
      orgId: m.f.org.orgId,
      roomId,
      recordingId: 'rec-held',
      feedSubject: f.subject,
    };
    await expect(openFor('no-such-room', f)).rejects.toBeInstanceOf(NoAnswer);
    await expect(command(RenewRecorderSession, { sessionId: 'rs_unknown' }, 500)).rejects.toBeInstanceOf(
      NoAnswer,
    );
    await expect(
      command(
        RecorderConsume,
        { sessionId: 'rs_unknown', producerId: 'p', ip: '127.0.0.1', port: 9, rtcpPort: 10 },
        500,
      ),
    ).rejects.toBeInstanceOf(NoAnswer);

    // Two media processes hear it; one carries the room and answers, once.
    const answers = await answersTo(OpenRecorderSession, open);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ ok: true, reply: { roster: { open: true } } });
    const { sessionId } = (answers[0] as { reply: { sessionId: string } }).reply;
    expect(await answersTo(RenewRecorderSession, { sessionId }, 500)).toEqual([{ ok: true, reply: {} }]);
    expect(await answersTo(CloseRecorderSession, { sessionId }, 500)).toEqual([{ ok: true, reply: {} }]);
  }, 30_000);

  it('closes a session not renewed within its lease, and keeps one that is', async () => {
    const roomId = `rec-lease-${randomUUID().slice(0, 8)}`;
    const ana = await synthetic('ana', roomId, { publish: 'none' });
    const kept = await openFor(roomId, feed());
    const lapsed = await openFor(roomId, feed());
    expect(await ana.client.next('recordingChanged')).toEqual({ recording: true });
    // Renewed every half lease, for twice the lease.
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, (LEASE_SECONDS * 1000) / 2));
      await command(RenewRecorderSession, { sessionId: kept.sessionId });
    }
    await expect(command(RenewRecorderSession, { sessionId: lapsed.sessionId }, 500)).rejects.toBeInstanceOf(
      NoAnswer,
    );
    // One session still follows the room: it is still shown as recorded.
    expect(ana.client.notifications.filter((n) => n.notification === 'recordingChanged')).toHaveLength(1);
    // Not renewed any more: the last one lapses too, and the room is no longer recorded.
    expect(
      await ana.client.next('recordingChanged', (n) => !n.recording, (LEASE_SECONDS + 2) * 1000),
    ).toEqual({
      recording: false,
    });
    await expect(command(RenewRecorderSession, { sessionId: kept.sessionId }, 500)).rejects.toBeInstanceOf(
      NoAnswer,
    );
  }, 30_000);

  describe('startRecording and stopRecording', () => {
    let answer: (subject: string) => unknown;
    const asked: Array<{ subject: string; request: unknown }> = [];

    beforeAll(() => {
      // The recording service is another service: a stand-in on the test's bus answers for it.
      for (const contract of [StartRoomRecording, StopRoomRecording]) {
        nc.subscribe(contract.subject, {
          callback: (_err, msg) => {
            asked.push({ subject: msg.subject, request: decode(msg) });
            const reply = answer(msg.subject);
            if (reply !== undefined) msg.respond(encode(reply));
          },
        });
      }
    });
    beforeEach(() => {
      asked.splice(0);
    });

    const refusalOf = async (promise: Promise<unknown>) => {
      try {
        await promise;
      } catch (error) {
        if (error instanceof SignalingRefusal) return error.error;
        throw error;
      }
      throw new Error('not refused');
    };

    it('refuses a peer without the record permission, and asks nothing of the recording service', async () => {
      answer = () => ({ ok: true, reply: { recordingId: 'never' } });
      const plain = await m.joined('ana', 'rec-perm-1');
      expect(await refusalOf(plain.c.request('startRecording', {}))).toEqual({
        code: 'not_allowed_to_record',
        message: expect.stringContaining('record'),
      });
      // A moderator whose token does not carry canRecord may not either.
      const mod = await m.joined('boss', 'rec-perm-1', { role: 'moderator' });
      expect(mod.reply.permissions).toMatchObject({ record: false });
      expect(await refusalOf(mod.c.request('stopRecording', {}))).toMatchObject({
        code: 'not_allowed_to_record',
      });
      expect(asked).toEqual([]);
    });

    it("relays a recording moderator's requests and answers the recording service's refusals readably", async () => {
      const mod = await m.joined('boss', 'rec-perm-2', {
        role: 'moderator',
        attributes: { canRecord: true },
      });
      expect(mod.reply.permissions).toMatchObject({ record: true });

      answer = () => ({ ok: true, reply: { recordingId: 'rec_1' } });
      expect(await mod.c.request('startRecording', {})).toEqual({ recordingId: 'rec_1' });
      expect(asked).toEqual([
        {
          subject: StartRoomRecording.subject,
          request: { orgId: m.f.org.orgId, roomId: 'rec-perm-2', peerId: 'boss' },
        },
      ]);

      answer = () => ({ ok: false, error: { code: 'already_recording', message: 'rec_1 runs' } });
      expect(await refusalOf(mod.c.request('startRecording', {}))).toEqual({
        code: 'already_recording',
        message: 'This room is already being recorded',
      });
      answer = () => ({ ok: false, error: { code: 'room_not_live', message: 'no media' } });
      expect(await refusalOf(mod.c.request('startRecording', {}))).toMatchObject({ code: 'room_not_live' });
      answer = () => ({ ok: false, error: { code: 'not_recording', message: 'none' } });
      expect(await refusalOf(mod.c.request('stopRecording', {}))).toEqual({
        code: 'not_recording',
        message: 'This room is not being recorded',
      });
      answer = () => ({ ok: true, reply: { recordingId: 'rec_1' } });
      expect(await mod.c.request('stopRecording', {})).toEqual({ recordingId: 'rec_1' });
      expect(asked.at(-1)).toMatchObject({ subject: StopRoomRecording.subject });
    });

    it('answers recording_unavailable when the recording service does not answer', async () => {
      answer = () => undefined;
      const mod = await m.joined('boss', 'rec-perm-3', {
        role: 'moderator',
        attributes: { canRecord: true },
      });
      expect(await refusalOf(mod.c.request('startRecording', {}))).toMatchObject({
        code: 'recording_unavailable',
      });
    }, 15_000);
  });

  describe('plain RTP ingest', () => {
    it('is refused where MEDIA_PLAIN_INGEST is off', async () => {
      const c = await SignalingTestClient.connect(other.signalingUrl);
      try {
        await c.request('join', { grant: await m.platformSigned(m.claimsFor('gw', 'rec-plain-off')) });
        await expect(c.request('createTransport', { direction: 'send', plain: true })).rejects.toMatchObject({
          error: { code: 'plain_ingest_disabled' },
        });
        // WebRTC transports are unaffected.
        expect((await c.request('createTransport', { direction: 'send' })).iceParameters).toBeDefined();
      } finally {
        c.close();
      }
    });

    it('gives a plain send transport where it is on, never a receiving one', async () => {
      const { c } = await m.joined('gw', 'rec-plain-on');
      const t = await c.request('createTransport', { direction: 'send', plain: true });
      expect(t).toEqual({
        transportId: expect.any(String),
        ip: '127.0.0.1',
        port: expect.any(Number),
        rtcpPort: expect.any(Number),
      });
      expect(t.rtcpPort).not.toBe(t.port);
      await expect(c.request('createTransport', { direction: 'recv', plain: true })).rejects.toMatchObject({
        error: { code: 'invalid_message' },
      });
      await expect(
        c.request('connectTransport', { transportId: t.transportId, dtlsParameters: {} }),
      ).rejects.toMatchObject({ error: { code: 'invalid_message' } });
    });
  });
});
