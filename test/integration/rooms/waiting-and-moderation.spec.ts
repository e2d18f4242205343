import { startRoomsFixture, RoomsFixture } from './rooms-fixture';

interface Grant {
  status: 'admitted';
  peerId: string;
  connectionId: string;
  role: string;
  permissions: Record<string, boolean>;
  heartbeat: { path: string };
}

interface Waiting {
  status: 'waiting';
  waitingId: string;
  peerId: string;
  ticket?: string;
  poll: string;
  message: string;
}

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

type Data = Record<string, unknown>;

describe('waiting room, roles and moderation', () => {
  let f: RoomsFixture;

  beforeAll(async () => {
    f = await startRoomsFixture();
  });

  afterAll(async () => {
    await f?.close();
  });

  /** A peer's own call, authenticated by nothing but what it sends (no Bearer token). */
  const asPeer = (method: string, path: string, body?: Data, headers: Record<string, string> = {}) =>
    fetch(`${f.rooms.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  async function admitted(roomId: string, body: Data): Promise<Grant> {
    const response = await f.join(roomId, body);
    const json = (await response.json()) as Grant;
    expect({ status: response.status, body: json }).toMatchObject({ status: 201 });
    return json;
  }

  async function withToken(roomId: string, identity: string, extra: Data = {}): Promise<Grant> {
    return admitted(roomId, { token: await f.mint(identity, roomId, extra) });
  }

  async function waiting(roomId: string, body: Data): Promise<Waiting> {
    const response = await f.join(roomId, body);
    const json = (await response.json()) as Waiting;
    expect({ status: response.status, body: json }).toMatchObject({
      status: 202,
      body: { status: 'waiting' },
    });
    return json;
  }

  const seen = (type: string, match: (data: Data) => boolean) =>
    f.tap.waitFor(() => f.tap.of(type).some((e) => match(e.data as Data)));
  const eventData = (type: string, match: (data: Data) => boolean) =>
    f.tap
      .of(type)
      .map((e) => e.data as Data)
      .find(match);

  const moderate = (roomId: string, peerId: string, action: string, connectionId: string) =>
    asPeer('POST', `/v1/rooms/${roomId}/peers/${peerId}/moderation`, { action, connectionId });

  async function panel(roomId: string, connectionId: string) {
    const response = await asPeer('GET', `/v1/rooms/${roomId}/moderation/peers`, undefined, {
      'confer-connection-id': connectionId,
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { peers: Array<Data & { permissions: Data }> }).peers;
  }

  describe('waiting room', () => {
    it('holds a joiner until a moderator admits it, then lets it in with its ticket', async () => {
      expect(
        (await f.api('/v1/rooms/wait-1', { method: 'PUT', body: JSON.stringify({ waitingRoom: true }) }))
          .status,
      ).toBe(201);
      const mod = await withToken('wait-1', 'mod-1', { role: 'moderator' });
      const guest = { orgId: f.org.orgId, peerId: 'guest-1', displayName: 'Guest One' };

      const first = await waiting('wait-1', guest);
      expect(first).toMatchObject({ peerId: 'guest-1', message: expect.stringContaining('wait') });
      expect(first.ticket).toMatch(/^wt_/);
      await seen('waiting.requested', (d) => d.peerId === 'guest-1' && d.roomId === 'wait-1');

      // Asking again takes over the same entry with a new ticket; the old one stops working.
      const again = await waiting('wait-1', guest);
      expect(again.waitingId).toBe(first.waitingId);
      expect(again.ticket).not.toBe(first.ticket);
      expect((await asPeer('GET', `${first.poll}?ticket=${first.ticket}`)).status).toBe(404);
      const poll = await asPeer('GET', `${again.poll}?ticket=${again.ticket}`);
      expect(await poll.json()).toMatchObject({ status: 'pending', peerId: 'guest-1' });

      const list = await asPeer('GET', '/v1/rooms/wait-1/waiting', undefined, {
        'confer-connection-id': mod.connectionId,
      });
      expect(list.status).toBe(200);
      expect(((await list.json()) as { waiting: Data[] }).waiting).toEqual([
        expect.objectContaining({ waitingId: first.waitingId, peerId: 'guest-1', displayName: 'Guest One' }),
      ]);

      const admit = await asPeer('POST', `/v1/rooms/wait-1/waiting/${first.waitingId}/admit`, {
        connectionId: mod.connectionId,
      });
      expect(admit.status).toBe(200);
      expect(await admit.json()).toMatchObject({ status: 'admitted' });
      await seen('waiting.admitted', (d) => d.peerId === 'guest-1' && d.by === 'mod-1');

      const polled = await asPeer('GET', `${again.poll}?ticket=${again.ticket}`);
      expect(await polled.json()).toMatchObject({ status: 'admitted' });
      const grant = await admitted('wait-1', { ...guest, waitingTicket: again.ticket });
      expect(grant).toMatchObject({ peerId: 'guest-1', role: 'participant' });
      // Without its ticket, the same joiner would wait again.
      expect(f.tap.of('waiting.requested').filter((e) => (e.data as Data).peerId === 'guest-1')).toHaveLength(
        1,
      );
    });

    it('holds a joiner in a room nobody is in without starting the room', async () => {
      expect(
        (await f.api('/v1/rooms/wait-empty', { method: 'PUT', body: JSON.stringify({ waitingRoom: true }) }))
          .status,
      ).toBe(201);
      const early = await waiting('wait-empty', { orgId: f.org.orgId, peerId: 'early-bird' });
      await seen('waiting.requested', (d) => d.peerId === 'early-bird');
      expect(eventData('waiting.requested', (d) => d.peerId === 'early-bird')).not.toHaveProperty(
        'conferenceNumber',
      );
      const room = (await (await f.api('/v1/rooms/wait-empty')).json()) as { live: unknown };
      expect(room.live).toBeNull();

      // The moderator who arrives starts the room and lets the early bird in.
      const mod = await withToken('wait-empty', 'host-1', { role: 'moderator' });
      const admit = await asPeer('POST', `/v1/rooms/wait-empty/waiting/${early.waitingId}/admit`, {
        connectionId: mod.connectionId,
      });
      expect(admit.status).toBe(200);
      expect(f.tap.of('room.started').filter((e) => e.roomid === 'wait-empty')).toHaveLength(1);
      expect(f.tap.of('room.ended').filter((e) => e.roomid === 'wait-empty')).toHaveLength(0);
    });

    it('turns a joiner away through the server API, and refuses its ticket from then on', async () => {
      const token = await f.mint('cand-1', 'wait-2', { attributes: { waitingRoom: true } });
      const held = await waiting('wait-2', { token });
      await seen('waiting.requested', (d) => d.peerId === 'cand-1');

      const reject = await f.api(`/v1/rooms/wait-2/waiting/${held.waitingId}/reject`, {
        method: 'POST',
        body: '{}',
      });
      expect(reject.status).toBe(200);
      await seen('waiting.rejected', (d) => d.peerId === 'cand-1' && d.by === f.org.apiKey);

      const refused = await f.join('wait-2', { token, waitingTicket: held.ticket });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as ErrorBody).error).toMatchObject({
        code: 'rejected_from_waiting_room',
        message: 'A moderator declined your request to join this room',
      });
      expect(await (await asPeer('GET', `${held.poll}?ticket=${held.ticket}`)).json()).toMatchObject({
        status: 'rejected',
      });
      // A decision stands: it cannot be turned into the other one.
      const late = await f.api(`/v1/rooms/wait-2/waiting/${held.waitingId}/admit`, {
        method: 'POST',
        body: '{}',
      });
      expect(late.status).toBe(409);
    });

    it('lets a moderator turn the waiting room on for the live room, and off again, letting everyone in', async () => {
      const mod = await withToken('wait-3', 'mod-3', { role: 'moderator' });
      const on = await asPeer('PUT', '/v1/rooms/wait-3/waiting-room', {
        enabled: true,
        connectionId: mod.connectionId,
      });
      expect(on.status).toBe(200);
      await seen(
        'room.settings-changed',
        (d) => d.roomId === 'wait-3' && (d.settings as Data).waitingRoom === true && d.by === 'mod-3',
      );

      const held = await waiting('wait-3', { orgId: f.org.orgId, peerId: 'late-1' });
      const off = await asPeer('PUT', '/v1/rooms/wait-3/waiting-room', {
        enabled: false,
        connectionId: mod.connectionId,
      });
      expect(await off.json()).toEqual({ enabled: false, admitted: 1 });
      await seen('waiting.admitted', (d) => d.peerId === 'late-1' && d.by === 'mod-3');
      await admitted('wait-3', { orgId: f.org.orgId, peerId: 'late-1', waitingTicket: held.ticket });
      await admitted('wait-3', { orgId: f.org.orgId, peerId: 'late-2' });
    });
  });

  describe('moderation', () => {
    let boss: Grant;
    let pat: Grant;
    let sam: Grant;

    beforeAll(async () => {
      boss = await withToken('mod-room', 'boss', { role: 'moderator' });
      pat = await withToken('mod-room', 'pat', { attributes: { handEnabled: true } });
      sam = await withToken('mod-room', 'sam');
    });

    it('refuses moderation to a participant, and to a caller who says nothing of who it is', async () => {
      const byParticipant = await moderate('mod-room', 'sam', 'disable_video', pat.connectionId);
      expect(byParticipant.status).toBe(403);
      expect(((await byParticipant.json()) as ErrorBody).error.code).toBe('moderator_required');
      const list = await asPeer('GET', '/v1/rooms/mod-room/waiting', undefined, {
        'confer-connection-id': pat.connectionId,
      });
      expect(list.status).toBe(403);
      const anonymous = await asPeer('POST', '/v1/rooms/mod-room/moderation', {
        action: 'disable_all_audio',
      });
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as ErrorBody).error.code).toBe('actor_required');
      const stranger = await moderate('mod-room', 'sam', 'disable_video', 'c_not-a-connection');
      expect(stranger.status).toBe(403);
      expect(((await stranger.json()) as ErrorBody).error.code).toBe('not_in_room');
    });

    it("lets a moderator turn off a peer's camera, and every microphone", async () => {
      const camera = await moderate('mod-room', 'sam', 'disable_video', boss.connectionId);
      expect(camera.status).toBe(200);
      await seen(
        'moderation.applied',
        (d) => d.action === 'disable_video' && d.targetPeerId === 'sam' && d.by === 'boss',
      );
      const mics = await asPeer('POST', '/v1/rooms/mod-room/moderation', {
        action: 'disable_all_audio',
        connectionId: boss.connectionId,
      });
      expect(mics.status).toBe(200);
      await seen('moderation.applied', (d) => d.action === 'disable_all_audio' && d.by === 'boss');
      expect(eventData('moderation.applied', (d) => d.action === 'disable_all_audio')).not.toHaveProperty(
        'targetPeerId',
      );
    });

    it('forbids screen sharing, which the panel and a reconnection keep', async () => {
      const forbid = await moderate('mod-room', 'sam', 'forbid_screen_share', boss.connectionId);
      expect(await forbid.json()).toMatchObject({ permissions: { shareScreen: false, publishAudio: true } });
      await seen('moderation.applied', (d) => d.action === 'forbid_screen_share' && d.targetPeerId === 'sam');
      const samInPanel = (await panel('mod-room', boss.connectionId)).find((p) => p.peerId === 'sam');
      expect(samInPanel?.permissions).toMatchObject({ shareScreen: false });

      const listed = (await (await f.api('/v1/rooms/mod-room/peers')).json()) as {
        peers: Array<{ peerId: string; permissionOverrides: Record<string, boolean> }>;
      };
      expect(listed.peers.find((p) => p.peerId === 'sam')?.permissionOverrides).toMatchObject({
        shareScreen: false,
      });

      sam = await withToken('mod-room', 'sam');
      expect(sam.permissions).toMatchObject({ shareScreen: false, publishVideo: true });
      const ask = await moderate('mod-room', 'sam', 'request_screen_share', boss.connectionId);
      expect(ask.status).toBe(409);
      expect(((await ask.json()) as ErrorBody).error).toMatchObject({
        code: 'moderation_not_applicable',
        message: expect.stringContaining('allow it first'),
      });

      await moderate('mod-room', 'sam', 'allow_screen_share', boss.connectionId);
      expect(
        (await panel('mod-room', boss.connectionId)).find((p) => p.peerId === 'sam')?.permissions,
      ).toMatchObject({ shareScreen: true });
      expect((await moderate('mod-room', 'sam', 'request_screen_share', boss.connectionId)).status).toBe(200);
    });

    it('lets participants raise a hand where hands are enabled, and a moderator lower it', async () => {
      const raise = await asPeer('POST', '/v1/rooms/mod-room/peers/pat/hand/raise', {
        connectionId: pat.connectionId,
      });
      expect(raise.status).toBe(200);
      await seen('hand.raised', (d) => d.peerId === 'pat');
      expect(
        (await panel('mod-room', boss.connectionId)).find((p) => p.peerId === 'pat')?.handRaisedAt,
      ).toEqual(expect.any(String));

      expect((await moderate('mod-room', 'pat', 'lower_hand', boss.connectionId)).status).toBe(200);
      await seen('hand.lowered', (d) => d.peerId === 'pat' && d.by === 'boss');
      await seen('moderation.applied', (d) => d.action === 'lower_hand' && d.targetPeerId === 'pat');
      const again = await moderate('mod-room', 'pat', 'lower_hand', boss.connectionId);
      expect(again.status).toBe(409);
      expect(((await again.json()) as ErrorBody).error.code).toBe('hand_not_raised');

      // Nobody raises someone else's hand.
      const forOther = await asPeer('POST', '/v1/rooms/mod-room/peers/pat/hand/raise', {
        connectionId: sam.connectionId,
      });
      expect(forOther.status).toBe(403);
    });

    it('refuses a raised hand where hands are not enabled', async () => {
      const raise = await asPeer('POST', '/v1/rooms/mod-room/peers/sam/hand/raise', {
        connectionId: sam.connectionId,
      });
      expect(raise.status).toBe(403);
      expect(((await raise.json()) as ErrorBody).error).toEqual(
        expect.objectContaining({
          code: 'hand_not_enabled',
          message: 'Raising a hand is not enabled in this room',
        }),
      );
    });

    it('makes a webinar viewer a speaker, within maxBroadcasters', async () => {
      expect(
        (await f.api('/v1/rooms/web-mod', { method: 'PUT', body: JSON.stringify({ maxBroadcasters: 2 }) }))
          .status,
      ).toBe(201);
      const host = await withToken('web-mod', 'host-1', { role: 'moderator' });
      const viewer = { orgId: f.org.orgId, face: 'webinar' };
      const v1 = await admitted('web-mod', { ...viewer, peerId: 'v-1' });
      expect(v1).toMatchObject({ role: 'viewer' });
      await admitted('web-mod', { ...viewer, peerId: 'v-2' });

      const promote = await asPeer('PUT', '/v1/rooms/web-mod/peers/v-1/role', {
        role: 'speaker',
        connectionId: host.connectionId,
      });
      expect(promote.status).toBe(200);
      expect(await promote.json()).toMatchObject({
        from: 'viewer',
        role: 'speaker',
        permissions: { publishAudio: true },
      });
      // The change names the exact connection it applies to.
      await seen(
        'peer.role-changed',
        (d) =>
          d.peerId === 'v-1' &&
          d.connectionId === v1.connectionId &&
          d.from === 'viewer' &&
          d.to === 'speaker',
      );
      const peers = (await (await f.api('/v1/rooms/web-mod/peers')).json()) as { peers: Data[] };
      expect(peers.peers.find((p) => p.peerId === 'v-1')).toMatchObject({ role: 'speaker' });
      // A reconnection comes back in the role it was given, not the one its link implies.
      expect(await admitted('web-mod', { ...viewer, peerId: 'v-1' })).toMatchObject({
        role: 'speaker',
        permissions: { publishAudio: true },
      });

      const full = await asPeer('PUT', '/v1/rooms/web-mod/peers/v-2/role', {
        role: 'speaker',
        connectionId: host.connectionId,
      });
      expect(full.status).toBe(423);
      expect(((await full.json()) as ErrorBody).error).toMatchObject({
        code: 'room_full',
        details: { limit: 2, kind: 'broadcasters' },
      });
      const badRole = await asPeer('PUT', '/v1/rooms/web-mod/peers/v-2/role', {
        role: 'owner',
        connectionId: host.connectionId,
      });
      expect(badRole.status).toBe(400);
    });

    it('removes a peer, whose heartbeat then learns it was removed', async () => {
      const remove = await moderate('mod-room', 'pat', 'remove_peer', boss.connectionId);
      expect(await remove.json()).toMatchObject({ action: 'remove_peer', peerId: 'pat', permissions: null });
      await seen('peer.left', (d) => d.peerId === 'pat' && d.reason === 'kicked');
      await seen('moderation.applied', (d) => d.action === 'remove_peer' && d.targetPeerId === 'pat');

      const beat = await asPeer('POST', pat.heartbeat.path, { connectionId: pat.connectionId });
      expect(beat.status).toBe(404);
      expect(((await beat.json()) as ErrorBody).error).toMatchObject({
        message: expect.stringContaining('removed'),
        details: { reason: 'kicked' },
      });
      // Removed, it moderates nothing: its connection is no longer in the room.
      expect((await moderate('mod-room', 'sam', 'disable_audio', pat.connectionId)).status).toBe(403);
    });

    it('lets the server API remove a peer', async () => {
      const remove = await f.api('/v1/rooms/mod-room/peers/sam/moderation', {
        method: 'POST',
        body: JSON.stringify({ action: 'remove_peer' }),
      });
      expect(remove.status).toBe(200);
      await seen('peer.left', (d) => d.peerId === 'sam' && d.reason === 'kicked');
      await seen(
        'moderation.applied',
        (d) => d.action === 'remove_peer' && d.targetPeerId === 'sam' && d.by === f.org.apiKey,
      );
      const peers = (await (await f.api('/v1/rooms/mod-room/peers')).json()) as { peers: Data[] };
      expect(peers.peers.map((p) => p.peerId)).toEqual(['boss']);
    });
  });
});
