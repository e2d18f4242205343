import { MediaFixture, startMediaFixture, VP8 } from './media-fixture';

/**
 * Presence kept by the media service: rooms times out connections not heard of within
 * 3 s here, and the media service heartbeats every 0.5 s and gives a dropped socket 1.5 s
 * to come back.
 */
describe('presence kept by the media service', () => {
  let m: MediaFixture;

  beforeAll(async () => {
    m = await startMediaFixture(
      { MEDIA_PRESENCE_HEARTBEAT_SECONDS: '0.5', MEDIA_RECONNECT_GRACE_SECONDS: '1.5' },
      { PEER_HEARTBEAT_TIMEOUT_SECONDS: '3', PRESENCE_SWEEP_SECONDS: '0.5', JOIN_GRANT_TTL_SECONDS: '10' },
    );
  });
  afterEach(() => m.closeClients());
  afterAll(async () => {
    await m?.close();
  });

  const livePeers = async (roomId: string) => {
    const response = await m.f.api(`/v1/rooms/${roomId}/peers`);
    return ((await response.json()) as { peers: Array<{ peerId: string }> }).peers
      .map((p) => p.peerId)
      .sort();
  };
  const leftOf = (peerId: string, roomId: string) =>
    m.f.tap
      .of('peer.left')
      .filter((e) => (e.data as { peerId: string }).peerId === peerId && e.roomid === roomId);

  it('keeps a connected peer present past the heartbeat timeout, and takes it out after a drop', async () => {
    const ana = await m.joined('ana', 'presence-1');
    const ben = await m.joined('ben', 'presence-1');
    await new Promise((r) => setTimeout(r, 4500));
    expect(await livePeers('presence-1')).toEqual(['ana', 'ben']);
    expect(leftOf('ana', 'presence-1')).toEqual([]);

    ana.c.close();
    await m.f.tap.waitFor(() => leftOf('ana', 'presence-1').length === 1, 6000);
    expect(leftOf('ana', 'presence-1')[0].data).toMatchObject({
      reason: 'left',
      connectionId: ana.join.connectionId,
    });
    expect(await ben.c.next('peerLeft')).toEqual({ peerId: 'ana', reason: 'left' });
    expect(await livePeers('presence-1')).toEqual(['ben']);
  }, 20000);

  it('resumes the same peer, media and all, when its socket comes back within the grace period', async () => {
    const ana = await m.joined('ana', 'presence-2');
    const ben = await m.joined('ben', 'presence-2');
    const send = await ana.c.request('createTransport', { direction: 'send' });
    const { producerId } = await ana.c.request('produce', {
      transportId: send.transportId,
      kind: 'video',
      source: 'camera',
      rtpParameters: VP8,
    });
    ana.c.close();
    await ana.c.closed;
    await new Promise((r) => setTimeout(r, 500));

    const again = await m.client();
    const reply = await again.request('join', { grant: ana.join.grant.token });
    expect(reply).toMatchObject({
      peerId: 'ana',
      resumed: true,
      own: { transportIds: [send.transportId], producerIds: [producerId], consumerIds: [] },
    });
    // Well past the grace period: nobody saw ana leave, and her media never stopped.
    await new Promise((r) => setTimeout(r, 2500));
    expect(leftOf('ana', 'presence-2')).toEqual([]);
    expect(ben.c.notifications.map((n) => n.notification)).not.toContain('peerLeft');
    expect(ben.c.notifications.map((n) => n.notification)).not.toContain('producerClosed');
    expect(await livePeers('presence-2')).toEqual(['ana', 'ben']);
    // The resumed connection is the peer's: it receives the room's notifications.
    await ben.c.request('sendChatMessage', { text: 'welcome back' });
    expect(await again.next('chatMessage')).toMatchObject({ peerId: 'ben', text: 'welcome back' });
  }, 20000);

  it('hands a peer over to a new socket while the old one is still open, telling the old one', async () => {
    const ana = await m.joined('ana', 'presence-3');
    const again = await m.client();
    const reply = await again.request('join', { grant: ana.join.grant.token });
    expect(reply.resumed).toBe(true);
    expect(await ana.c.next('sessionClosed')).toEqual({ reason: 'resumed' });
    expect((await ana.c.closed).code).toBe(4409);
    await new Promise((r) => setTimeout(r, 2500));
    expect(leftOf('ana', 'presence-3')).toEqual([]);
  }, 10000);

  it("resumes with the join answer's token after the grant expired, and refuses a token for nobody", async () => {
    const ana = await m.joined('ana', 'presence-5');
    const ben = await m.joined('ben', 'presence-5');
    expect(ana.reply.resumeToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // Past the grant's 10 s (and verification's 5 s of tolerance), present all along.
    await new Promise((r) => setTimeout(r, 16_000));
    ana.c.close();
    await ana.c.closed;

    const again = await m.client();
    await expect(again.request('join', { grant: ana.join.grant.token })).rejects.toMatchObject({
      error: { code: 'invalid_grant' },
    });
    const other = await m.client();
    await expect(other.request('resume', { resumeToken: 'x'.repeat(32) })).rejects.toMatchObject({
      error: { code: 'invalid_resume_token' },
    });
    const reply = await other.request('resume', { resumeToken: ana.reply.resumeToken! });
    expect(reply).toMatchObject({ peerId: 'ana', resumed: true, resumeToken: ana.reply.resumeToken });
    await new Promise((r) => setTimeout(r, 2000));
    expect(leftOf('ana', 'presence-5')).toEqual([]);
    await ben.c.request('sendChatMessage', { text: 'still here?' });
    expect(await other.next('chatMessage')).toMatchObject({ text: 'still here?' });
    // Once the peer has left, its token is worth nothing.
    await other.request('leave', {});
    const late = await m.client();
    await expect(late.request('resume', { resumeToken: ana.reply.resumeToken! })).rejects.toMatchObject({
      error: { code: 'invalid_resume_token' },
    });
  }, 30000);

  it('tells a peer the rooms service timed it out when its heartbeat is refused', async () => {
    // A grant for a connection the rooms service never had: its heartbeat is answered 404.
    const ghost = await m.client();
    await ghost.request('join', { grant: await m.platformSigned(m.claimsFor('ghost', 'presence-4')) });
    expect(await ghost.next('sessionClosed', () => true, 3000)).toEqual({ reason: 'timed_out' });
    expect((await ghost.closed).code).toBe(4000);
  });
});
