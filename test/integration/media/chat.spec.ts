import { CHAT_MESSAGE_MAX_LENGTH } from '@confer/contracts';
import { MediaFixture, startMediaFixture } from './media-fixture';

describe('chat relayed by the media service', () => {
  let m: MediaFixture;

  beforeAll(async () => {
    m = await startMediaFixture();
  });
  afterEach(() => m.closeClients());
  afterAll(async () => {
    await m?.close();
  });

  it("relays a message to the room's other peers, stamped with its writer and time", async () => {
    const ana = await m.joined('ana', 'chat-1');
    const ben = await m.joined('ben', 'chat-1');
    const cy = await m.joined('cy', 'chat-1');
    const other = await m.joined('dee', 'chat-other-room');

    const sent = await ana.c.request('sendChatMessage', { text: 'hello, room' });
    expect(sent.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(sent.sentAt)).toBeGreaterThan(Date.now() - 5000);
    for (const peer of [ben, cy]) {
      expect(await peer.c.next('chatMessage')).toEqual({
        messageId: sent.messageId,
        peerId: 'ana',
        text: 'hello, room',
        sentAt: sent.sentAt,
      });
    }
    // A private message reaches its recipient only.
    const whisper = await ben.c.request('sendChatMessage', { text: 'just you', to: 'cy' });
    expect(await cy.c.next('chatMessage', (n) => n.messageId === whisper.messageId)).toMatchObject({
      peerId: 'ben',
      text: 'just you',
      to: 'cy',
    });
    // A round trip after both sends: anything misrouted would have arrived by now.
    await ana.c.request('sendChatMessage', { text: 'flush' });
    await cy.c.next('chatMessage', (n) => n.text === 'flush');
    const seen = (c: typeof ana.c) =>
      c.notifications
        .filter((n) => n.notification === 'chatMessage')
        .map((n) => (n.data as { text: string }).text);
    expect(seen(ana.c)).toEqual([]);
    expect(seen(ben.c)).toEqual(['hello, room', 'flush']);
    expect(seen(other.c)).toEqual([]);
  });

  it('refuses empty, blank, overlong and misaddressed messages with stable codes', async () => {
    const ana = await m.joined('ana', 'chat-2');
    await m.joined('ben', 'chat-2');
    for (const text of ['', '   \n ', 'x'.repeat(CHAT_MESSAGE_MAX_LENGTH + 1)]) {
      await expect(ana.c.request('sendChatMessage', { text })).rejects.toMatchObject({
        error: { code: 'invalid_message' },
      });
    }
    await expect(
      ana.c.request('sendChatMessage', { text: 'x'.repeat(CHAT_MESSAGE_MAX_LENGTH) }),
    ).resolves.toHaveProperty('messageId');
    await expect(ana.c.request('sendChatMessage', { text: 'hi', to: 'nobody' })).rejects.toMatchObject({
      error: { code: 'peer_not_found' },
    });
    expect(
      await ana.c.sendRaw(JSON.stringify({ id: 99, method: 'sendChatMessage', data: { text: 42 } })),
    ).toMatchObject({ id: 99, ok: false, error: { code: 'invalid_message' } });
  });

  it('refuses chat to a peer whose grant disables it (the disableChat attribute)', async () => {
    const quiet = await m.joined('quiet', 'chat-3', { body: { disableChat: true } });
    const ben = await m.joined('ben', 'chat-3');
    expect(quiet.reply.permissions).toMatchObject({ chat: false });
    expect(ben.reply.permissions).toMatchObject({ chat: true });
    await expect(quiet.c.request('sendChatMessage', { text: 'may I?' })).rejects.toMatchObject({
      error: { code: 'not_allowed_to_chat' },
    });
    expect(ben.c.notifications.filter((n) => n.notification === 'chatMessage')).toEqual([]);
  });

  it('limits a flood from one peer', async () => {
    const loud = await m.joined('loud', 'chat-4');
    await m.joined('ben', 'chat-4');
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        loud.c.request('sendChatMessage', { text: `spam ${i}` }).then(
          () => 'sent',
          (e: { error: { code: string } }) => e.error.code,
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'sent').length).toBeGreaterThanOrEqual(10);
    expect(outcomes.filter((o) => o === 'sent').length).toBeLessThan(15);
    expect(outcomes).toContain('rate_limited');
  });
});
