import { SignalingTestClient } from '../../support/media-signaling.client';
import { MediaFixture, OPUS, startMediaFixture, VP8 } from './media-fixture';

/** Interpreters (the Gcore role with intLang) speak on language channels; listeners pick one. */
describe('language interpretation', () => {
  let m: MediaFixture;

  beforeAll(async () => {
    m = await startMediaFixture({
      MEDIA_INTERPRETER_LINGER_SECONDS: '1',
      MEDIA_RECONNECT_GRACE_SECONDS: '0.3',
    });
  });
  afterEach(() => m.closeClients());
  afterAll(async () => {
    await m?.close();
  });

  async function join(peer: string, room: string, claims: Record<string, unknown> = {}) {
    const c = await m.client();
    const reply = await c.request('join', { grant: await m.platformSigned(m.claimsFor(peer, room, claims)) });
    return { c, reply };
  }

  async function speak(c: SignalingTestClient, ssrc: number) {
    const send = await c.request('createTransport', { direction: 'send' });
    const { producerId } = await c.request('produce', {
      transportId: send.transportId,
      kind: 'audio',
      source: 'microphone',
      rtpParameters: { ...OPUS, encodings: [{ ssrc }] },
    });
    return { producerId, transportId: send.transportId };
  }

  const serverConsumer = (room: string, peer: string, id: string) =>
    m.media.rooms.find(`${m.f.org.orgId}/${room}`)!.peer(peer)!.consumer(id)!;

  it('puts an interpreter on its language channel, lets a listener choose it and mute the original', async () => {
    const speaker = await join('speaker', 'interp-1');
    const listener = await join('listener', 'interp-1');
    expect(listener.reply.languages).toEqual([]);
    const original = await speak(speaker.c, 1);

    const interpreter = await join('interp-de', 'interp-1', { role: 'interpreter', intLang: 'de' });
    expect(interpreter.reply.permissions).toMatchObject({ publishAudio: true, publishVideo: false });
    const german = await speak(interpreter.c, 2);
    expect(await listener.c.next('interpretationLanguages')).toEqual({ languages: ['de'] });
    expect(await listener.c.next('producerAdded', (p) => p.producerId === german.producerId)).toMatchObject({
      peerId: 'interp-de',
      source: 'microphone',
      language: 'de',
    });
    // Interpreters cannot turn their cameras on.
    await expect(
      interpreter.c.request('produce', {
        transportId: german.transportId,
        kind: 'video',
        source: 'camera',
        rtpParameters: VP8,
      }),
    ).rejects.toMatchObject({ error: { code: 'not_allowed_to_publish' } });

    const recv = await listener.c.request('createTransport', { direction: 'recv' });
    const consume = async (producerId: string) => {
      const consumer = await listener.c.request('consume', {
        transportId: recv.transportId,
        producerId,
        rtpCapabilities: listener.reply.routerRtpCapabilities,
      });
      await listener.c.request('resumeConsumer', { consumerId: consumer.consumerId });
      return serverConsumer('interp-1', 'listener', consumer.consumerId);
    };
    const originalConsumer = await consume(original.producerId);
    const germanConsumer = await consume(german.producerId);
    // By default one hears the original; the channel is held back on the server.
    expect([originalConsumer.paused, germanConsumer.paused]).toEqual([false, true]);

    expect(await listener.c.request('setInterpretation', { language: 'de' })).toEqual({
      language: 'de',
      muteOriginal: false,
      languages: ['de'],
    });
    expect([originalConsumer.paused, germanConsumer.paused]).toEqual([false, false]);
    await listener.c.request('setInterpretation', { language: 'de', muteOriginal: true });
    expect([originalConsumer.paused, germanConsumer.paused]).toEqual([true, false]);
    await expect(listener.c.request('setInterpretation', { language: 'fr' })).rejects.toMatchObject({
      error: { code: 'language_not_available' },
    });

    // The interpreter drops out: the channel lingers, then goes, and its listeners get the original back.
    interpreter.c.close();
    await listener.c.next('producerClosed', (p) => p.producerId === german.producerId, 3000);
    expect(listener.c.notifications.filter((n) => n.notification === 'interpretationLanguages')).toHaveLength(
      1,
    );
    expect(await listener.c.next('interpretationChanged', () => true, 4000)).toEqual({
      language: null,
      muteOriginal: false,
      reason: 'language no longer available',
    });
    expect(await listener.c.next('interpretationLanguages', (n) => n.languages.length === 0)).toEqual({
      languages: [],
    });
    for (let i = 0; i < 20 && originalConsumer.paused; i++) await new Promise((r) => setTimeout(r, 50));
    expect(originalConsumer.paused).toBe(false);
  }, 15000);

  it('refuses an interpreter without a language a microphone', async () => {
    const lost = await join('lost', 'interp-2', { role: 'interpreter' });
    const send = await lost.c.request('createTransport', { direction: 'send' });
    await expect(
      lost.c.request('produce', {
        transportId: send.transportId,
        kind: 'audio',
        source: 'microphone',
        rtpParameters: OPUS,
      }),
    ).rejects.toMatchObject({
      error: { code: 'not_allowed_to_publish', message: expect.stringContaining('intLang') },
    });
  });
});
