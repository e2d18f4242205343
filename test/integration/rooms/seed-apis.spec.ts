import { createHash } from 'crypto';
import { SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import { startRoomsService } from '../../support/rooms-service.harness';
import { startPrivateNatsServer } from '../../support/private-nats-server';
import { freePort } from '../../support/test-env';
import { startRoomsFixture, RoomsFixture } from './rooms-fixture';

interface Grant {
  status: string;
  peerId: string;
  connectionId: string;
  role: string;
}

interface Hal<T> {
  content: T;
  _links: Record<string, { href: string }>;
}

interface Subscription {
  ref: string;
  name: string;
  email: string;
  started: number;
  ended: number | null;
  orgId: string;
  active: boolean;
  subscriptionId: string;
}

interface SessionEntry {
  name: string | null;
  accessToken: null;
  accessTokenSha256: string | null;
  clientId: string | null;
  sessionId: string;
  orgId: string;
  entryTime: number;
  entryId: string;
  subscriptionId: string | null;
  role: string;
  peerId: string;
}

interface Alias {
  id: string;
  type: string;
  name: string | null;
  passcode: string | null;
  jwt_secret: string | null;
  stream_key: string | null;
  expired_at: number;
  inserted_at?: number;
}

const UNAUTHORIZED = { error: { message: 'UNAUTHORIZED' } };
const ALIAS_NOT_FOUND = { error: { message: 'Alias not found' } };

const now = () => Math.floor(Date.now() / 1000);
const hs256 = (claims: Record<string, unknown>, secret: string) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(Buffer.from(secret, 'utf8'));
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe('the seed vendors’ server APIs on our host', () => {
  let f: RoomsFixture;

  beforeAll(async () => {
    f = await startRoomsFixture();
  });

  afterAll(async () => {
    await f?.close();
  });

  const bare = (path: string, init: RequestInit = {}) =>
    fetch(`${f.rooms.baseUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
  const post = (path: string, body: unknown) => f.api(path, { method: 'POST', body: JSON.stringify(body) });
  const joinAs = async (identity: string, roomId: string) => {
    const response = await f.join(roomId, { token: await f.mint(identity, roomId) });
    expect(response.status).toBe(201);
    return (await response.json()) as Grant;
  };
  const leftOf = (roomId: string) =>
    f.tap.of('peer.left').filter((e) => (e.data as { roomId: string }).roomId === roomId);

  it('documents every route in OpenAPI, with its answers', async () => {
    const document = (await (await bare('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const expected: Array<[string, string, string[]]> = [
      ['/rooms/{roomId}/closePeer', 'post', ['200', '400', '401']],
      ['/rooms/{roomId}/durationOfBroadcast', 'get', ['200', '400', '401']],
      ['/rooms/{roomId}/closeRoom', 'get', ['200', '400', '401']],
      ['/rooms/{roomId}/numberPeers', 'get', ['200', '400', '401']],
      ['/rooms/{roomId}/existingPeer', 'post', ['200', '400', '401']],
      ['/v1/orgs/{orgId}/subscriptions', 'post', ['200', '400', '401', '403', '409']],
      ['/v1/orgs/{orgId}/subscriptions', 'get', ['200', '400', '401', '403']],
      ['/v1/orgs/{orgId}/subscriptions/{subscriptionId}', 'delete', ['200', '404']],
      ['/v1/session/{jwt}', 'get', ['302', '400', '401', '403', '409', '503']],
      ['/v1/orgs/{orgId}/sessions', 'get', ['200', '401', '403']],
      ['/v1/orgs/{orgId}/session', 'get', ['200', '401', '403']],
      ['/organization/api/v1/alias/create', 'post', ['200', '400', '401', '503']],
      ['/api/v1/alias/{id}', 'get', ['200', '401', '404', '503']],
    ];
    for (const [path, method, statuses] of expected) {
      const operation = document.paths[path]?.[method];
      expect({ path, method, documented: !!operation }).toEqual({ path, method, documented: true });
      for (const status of statuses)
        expect({ path, method, status, has: status in operation.responses }).toMatchObject({ has: true });
    }
  });

  describe('Gcore room API', () => {
    // Every row has all three values: jest would take a missing third parameter for `done`.
    const routes: Array<[string, string, unknown]> = [
      ['POST', 'closePeer', { peerId: 'x' }],
      ['GET', 'durationOfBroadcast', undefined],
      ['GET', 'closeRoom', undefined],
      ['GET', 'numberPeers', undefined],
      ['POST', 'existingPeer', { peerId: 'x' }],
    ];

    it.each(routes)('%s %s refuses a caller without an access token (401)', async (method, name, body) => {
      const response = await bare(`/rooms/anything/${name}`, {
        method,
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(response.status).toBe(401);
    });

    it.each(routes)(
      '%s %s answers 400 for a room that does not exist (not live)',
      async (method, name, body) => {
        const response = await f.api(`/rooms/nobody-here/${name}`, {
          method,
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ error: { code: 'no_live_room' } });
      },
    );

    it('counts, times, checks and removes the peers of a live room', async () => {
      await joinAs('g-ann', 'gcore-1');
      await joinAs('g-bob', 'gcore-1');

      expect(await (await f.api('/rooms/gcore-1/numberPeers')).json()).toEqual({
        roomId: 'gcore-1',
        peers: 2,
      });
      const duration = (await (await f.api('/rooms/gcore-1/durationOfBroadcast')).json()) as {
        roomId: string;
        duration: number;
        startedAt: string;
      };
      expect(duration.roomId).toBe('gcore-1');
      expect(Number.isInteger(duration.duration) && duration.duration >= 0).toBe(true);
      expect(Date.parse(duration.startedAt)).toBeLessThanOrEqual(Date.now());

      const exists = await post('/rooms/gcore-1/existingPeer', { peerId: 'g-ann' });
      expect(exists.status).toBe(200);
      expect(await exists.json()).toEqual({ roomId: 'gcore-1', peerId: 'g-ann', exists: true });
      expect(await (await post('/rooms/gcore-1/existingPeer', { peerId: 'g-zed' })).json()).toEqual({
        roomId: 'gcore-1',
        peerId: 'g-zed',
        exists: false,
      });

      const closed = await post('/rooms/gcore-1/closePeer', { peerId: 'g-ann' });
      expect(closed.status).toBe(200);
      expect(await closed.json()).toEqual({ roomId: 'gcore-1', peerId: 'g-ann', closed: true });
      await f.tap.waitFor(() =>
        leftOf('gcore-1').some((e) => (e.data as { peerId: string }).peerId === 'g-ann'),
      );
      expect(leftOf('gcore-1')[0].data).toMatchObject({ peerId: 'g-ann', reason: 'kicked' });
      expect(await (await f.api('/rooms/gcore-1/numberPeers')).json()).toEqual({
        roomId: 'gcore-1',
        peers: 1,
      });

      const again = await post('/rooms/gcore-1/closePeer', { peerId: 'g-ann' });
      expect(again.status).toBe(400);
      expect(await again.json()).toMatchObject({ error: { code: 'peer_not_present' } });
    });

    it('validates the room id and the body, naming the field', async () => {
      const badRoom = await f.api('/rooms/bad.room/numberPeers');
      expect(badRoom.status).toBe(400);
      expect(await badRoom.json()).toMatchObject({ error: { code: 'invalid_room_id' } });

      const noPeer = await post('/rooms/gcore-1/closePeer', {});
      expect(noPeer.status).toBe(400);
      const body = (await noPeer.json()) as { error: { code: string; details: Array<{ field: string }> } };
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.details.map((d) => d.field)).toContain('peerId');

      const wrongType = await post('/rooms/gcore-1/existingPeer', { peerId: 42 });
      expect(wrongType.status).toBe(400);
    });

    it('closes a room: every peer leaves (room_closed) and the room ends (closed)', async () => {
      for (const peer of ['c-1', 'c-2', 'c-3']) await joinAs(peer, 'gcore-2');
      const response = await f.api('/rooms/gcore-2/closeRoom');
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ roomId: 'gcore-2', closed: true, peersRemoved: 3 });

      await f.tap.waitFor(
        () => leftOf('gcore-2').length === 3 && f.tap.of('room.ended').some((e) => e.roomid === 'gcore-2'),
      );
      expect(leftOf('gcore-2').map((e) => (e.data as { reason: string }).reason)).toEqual([
        'room_closed',
        'room_closed',
        'room_closed',
      ]);
      expect(f.tap.of('room.ended').filter((e) => e.roomid === 'gcore-2')).toHaveLength(1);
      expect(f.tap.of('room.ended').find((e) => e.roomid === 'gcore-2')?.data).toMatchObject({
        reason: 'closed',
      });
      expect((await f.api('/rooms/gcore-2/numberPeers')).status).toBe(400);
    });
  });

  describe('Coviu', () => {
    const subscriptions = () => `/v1/orgs/${f.org.orgId}/subscriptions`;
    const subscribe = async (ref: string) => {
      const response = await post(subscriptions(), { ref, email: `${ref}@example.com`, name: `Dr ${ref}` });
      expect(response.status).toBe(200);
      return (await response.json()) as Hal<Subscription>;
    };
    const sessionLink = (claims: Record<string, unknown>) =>
      hs256({ iss: f.org.apiKey, exp: now() + 600, ...claims }, f.org.apiKeySecret);
    const ownerLink = (ref: string, sid: string) =>
      sessionLink({ un: `Dr ${ref}`, ref, sid, rle: 'owner', email: `${ref}@example.com` });
    const guestLink = (name: string, sid: string) =>
      sessionLink({ un: name, ref: 'whoever', sid, rle: 'guest' });
    const open = (token: string) => bare(`/v1/session/${token}`, { redirect: 'manual' });

    it('creates, reads, lists with page links, and deletes subscriptions', async () => {
      const first = await subscribe('sub-a');
      expect(first.content).toMatchObject({
        ref: 'sub-a',
        name: 'Dr sub-a',
        email: 'sub-a@example.com',
        orgId: f.org.orgId,
        active: true,
        ended: null,
      });
      expect(first.content.started).toBeGreaterThan(Date.now() - 60_000);
      const self = `${subscriptions()}/${first.content.subscriptionId}`;
      expect(first._links).toEqual({ org: { href: `/v1/orgs/${f.org.orgId}` }, self: { href: self } });
      await subscribe('sub-b');
      await subscribe('sub-c');

      const duplicate = await post(subscriptions(), { ref: 'sub-a', email: 'x@example.com', name: 'X' });
      expect(duplicate.status).toBe(409);
      expect(await duplicate.json()).toMatchObject({ error: { code: 'subscription_exists' } });

      const page0 = (await (await f.api(`${subscriptions()}?page=0&count=2`)).json()) as Hal<
        Array<Hal<Subscription>>
      >;
      expect(page0.content.map((s) => s.content.ref)).toEqual(['sub-a', 'sub-b']);
      expect(page0._links).toEqual({
        self: { href: `${subscriptions()}?page=0&count=2` },
        next: { href: `${subscriptions()}?page=1&count=2` },
      });
      const page1 = (await (await f.api(page0._links.next.href)).json()) as Hal<Array<Hal<Subscription>>>;
      expect(page1.content.map((s) => s.content.ref)).toEqual(['sub-c']);
      expect(page1._links).toEqual({
        self: { href: `${subscriptions()}?page=1&count=2` },
        previous: { href: `${subscriptions()}?page=0&count=2` },
      });

      expect(await (await f.api(self)).json()).toEqual(first);
      const deleted = await f.api(self, { method: 'DELETE' });
      expect(deleted.status).toBe(200);
      const gone = (await deleted.json()) as Hal<Subscription>;
      expect(gone.content).toMatchObject({ subscriptionId: first.content.subscriptionId, active: false });
      expect(gone.content.ended).toBeGreaterThanOrEqual(gone.content.started);
      expect(gone._links.self.href).toBe(self);

      expect((await f.api(`${subscriptions()}/no-such-subscription`)).status).toBe(404);
    });

    it('validates subscriptions and keeps organisations apart', async () => {
      const missing = await post(subscriptions(), { ref: 'sub-x', name: 'X' });
      expect(missing.status).toBe(400);
      const body = (await missing.json()) as { error: { details: Array<{ field: string }> } };
      expect(body.error.details.map((d) => d.field)).toContain('email');
      expect((await post(subscriptions(), { ref: '', email: 'a@example.com', name: 'X' })).status).toBe(400);
      expect((await f.api(`${subscriptions()}?page=-1`)).status).toBe(400);
      expect((await f.api('/v1/orgs/org_someone_else/subscriptions')).status).toBe(403);
      expect((await bare(subscriptions())).status).toBe(401);
    });

    it('sends an owner with an active subscription, and a guest, to the room page', async () => {
      await subscribe('owner-1');
      const token = await ownerLink('owner-1', 'coviu-1');
      const response = await open(token);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(
        `${f.rooms.config.PUBLIC_URL}/call/?roomId=coviu-1&token=${token}`,
      );
      expect(response.headers.get('cache-control')).toBe('no-store');

      const guest = await guestLink('Joe Guest', 'coviu-1');
      const guestResponse = await open(guest);
      expect(guestResponse.status).toBe(302);
      expect(guestResponse.headers.get('location')).toBe(
        `${f.rooms.config.PUBLIC_URL}/call/?roomId=coviu-1&token=${guest}`,
      );
    });

    it('refuses an owner whose ref names no active subscription, on the link and on the join', async () => {
      const unknown = await ownerLink('nobody-subscribed', 'coviu-2');
      const refused = await open(unknown);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: 'subscription_inactive' } });
      const join = await f.join('coviu-2', { token: unknown });
      expect(join.status).toBe(403);
      expect(await join.json()).toMatchObject({ error: { code: 'subscription_inactive' } });

      const ended = await subscribe('owner-ended');
      await f.api(ended._links.self.href, { method: 'DELETE' });
      expect((await open(await ownerLink('owner-ended', 'coviu-2'))).status).toBe(403);
    });

    it('lets one subscription host one session at a time', async () => {
      await subscribe('owner-2');
      const inA = await ownerLink('owner-2', 'coviu-a');
      const joinedA = await f.join('coviu-a', { token: inA });
      expect(joinedA.status).toBe(201);
      expect(await joinedA.json()).toMatchObject({ role: 'owner', peerId: 'owner-2' });

      const inB = await ownerLink('owner-2', 'coviu-b');
      const busy = await open(inB);
      expect(busy.status).toBe(409);
      expect(await busy.json()).toMatchObject({
        error: { code: 'subscription_busy', details: { sessionId: 'coviu-a' } },
      });
      const busyJoin = await f.join('coviu-b', { token: inB });
      expect(busyJoin.status).toBe(409);
      expect(await busyJoin.json()).toMatchObject({ error: { code: 'subscription_busy' } });

      // Entering the session it hosts again is allowed.
      expect((await open(inA)).status).toBe(302);
      expect((await f.join('coviu-a', { token: inA })).status).toBe(201);

      // Once the owner has left, the subscription may host another session.
      expect((await f.api('/v1/rooms/coviu-a/peers/owner-2', { method: 'DELETE' })).status).toBe(204);
      expect((await open(inB)).status).toBe(302);
      expect((await f.join('coviu-b', { token: inB })).status).toBe(201);
    });

    it('takes an owner out of the session it hosts when its subscription is removed; guests stay', async () => {
      const subscription = await subscribe('owner-removed');
      const owner = await f.join('coviu-removed', {
        token: await ownerLink('owner-removed', 'coviu-removed'),
      });
      expect(owner.status).toBe(201);
      const ownerGrant = (await owner.json()) as Grant & { heartbeat: { path: string } };
      expect(
        (await f.join('coviu-removed', { token: await guestLink('Joe Guest', 'coviu-removed') })).status,
      ).toBe(201);
      // Alone in another session, an owner of the same subscription takes its room down with it.
      const other = await subscribe('owner-alone');
      expect(
        (await f.join('coviu-alone', { token: await ownerLink('owner-alone', 'coviu-alone') })).status,
      ).toBe(201);

      const removed = await f.api(subscription._links.self.href, { method: 'DELETE' });
      expect(removed.status).toBe(200);
      expect(((await removed.json()) as Hal<Subscription>).content.active).toBe(false);
      const peers = (await (await f.api('/v1/rooms/coviu-removed/peers')).json()) as {
        peers: Array<{ peerId: string; role: string }>;
      };
      expect(peers.peers.map((p) => p.role)).toEqual(['guest']);
      await f.tap.waitFor(() =>
        f.tap.of('peer.left').some((e) => (e.data as { peerId: string }).peerId === 'owner-removed'),
      );
      const left = f.tap
        .of('peer.left')
        .find((e) => (e.data as { peerId: string }).peerId === 'owner-removed');
      expect(left?.data).toMatchObject({ connectionId: ownerGrant.connectionId, reason: 'kicked' });
      const heartbeat = await bare(ownerGrant.heartbeat.path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ connectionId: ownerGrant.connectionId }),
      });
      expect(heartbeat.status).toBe(404);
      const again = await f.join('coviu-removed', {
        token: await ownerLink('owner-removed', 'coviu-removed'),
      });
      expect(again.status).toBe(403);
      expect(await again.json()).toMatchObject({ error: { code: 'subscription_inactive' } });

      expect((await f.api(other._links.self.href, { method: 'DELETE' })).status).toBe(200);
      await f.tap.waitFor(() => f.tap.of('room.ended').some((e) => e.roomid === 'coviu-alone'));
      expect(f.tap.of('room.ended').some((e) => e.roomid === 'coviu-removed')).toBe(false);
    });

    it('admits only one of two owners of one subscription entering two sessions at once', async () => {
      await subscribe('owner-race');
      const statuses = await Promise.all(
        ['coviu-race-1', 'coviu-race-2'].map(
          async (sid) => (await f.join(sid, { token: await ownerLink('owner-race', sid) })).status,
        ),
      );
      expect(statuses.sort()).toEqual([201, 409]);
    });

    it('refuses tokens that are not valid session links', async () => {
      const notCoviu = await f.mint('plain', 'coviu-3');
      const wrongForm = await open(notCoviu);
      expect(wrongForm.status).toBe(401);
      expect(await wrongForm.json()).toMatchObject({ error: { code: 'token_invalid' } });

      expect((await open('not-a-token')).status).toBe(401);
      const forged = await hs256(
        { iss: f.org.apiKey, un: 'Eve', sid: 'coviu-3', rle: 'guest' },
        'wrong-secret',
      );
      expect((await open(forged)).status).toBe(401);
      const badSid = await sessionLink({ un: 'Eve', sid: 'no spaces allowed', rle: 'guest' });
      const badSidResponse = await open(badSid);
      expect(badSidResponse.status).toBe(400);
      expect(await badSidResponse.json()).toMatchObject({
        error: { code: 'invalid_room_id', details: { field: 'sid' } },
      });
    });

    it('lists one session entry per grant, without the tokens themselves', async () => {
      const subscription = await subscribe('owner-3');
      const ownerToken = await ownerLink('owner-3', 'coviu-4');
      const guestToken = await guestLink('Jo Guest', 'coviu-4');
      expect((await f.join('coviu-4', { token: ownerToken })).status).toBe(201);
      expect((await f.join('coviu-4', { token: guestToken })).status).toBe(201);

      const sessions = `/v1/orgs/${f.org.orgId}/sessions`;
      const response = await f.api(`/v1/orgs/${f.org.orgId}/session?page=0&count=200`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as Hal<Array<Hal<SessionEntry>>>;
      expect(page._links).toEqual({ self: { href: `${sessions}?page=0&count=200` } });
      const ofSession = page.content.filter((e) => e.content.sessionId === 'coviu-4');
      expect(ofSession).toHaveLength(2);
      const [owner, guest] = ofSession;
      expect(owner.content).toMatchObject({
        name: 'Dr owner-3',
        accessToken: null,
        accessTokenSha256: sha256(ownerToken),
        clientId: f.org.apiKey,
        orgId: f.org.orgId,
        subscriptionId: subscription.content.subscriptionId,
        role: 'owner',
        peerId: 'owner-3',
      });
      expect(owner._links).toEqual({
        org: { href: `/v1/orgs/${f.org.orgId}` },
        self: { href: `${sessions}/coviu-4` },
        client: { href: `/v1/orgs/${f.org.orgId}/api-keys/${f.org.apiKey}` },
        subscription: { href: subscription._links.self.href },
      });
      expect(guest.content).toMatchObject({
        name: 'Jo Guest',
        subscriptionId: null,
        role: 'guest',
        peerId: 'Jo Guest',
        accessTokenSha256: sha256(guestToken),
      });
      expect(guest._links.subscription).toBeUndefined();
      expect(JSON.stringify(page)).not.toContain(ownerToken);

      // Every grant makes an entry, whatever its token: the Gcore peers above too.
      expect(
        page.content.some((e) => e.content.sessionId === 'gcore-1' && e.content.peerId === 'g-ann'),
      ).toBe(true);

      const plural = (await (await f.api(`${sessions}?page=0&count=200`)).json()) as typeof page;
      expect(plural.content).toEqual(page.content);
      const one = (await (await f.api(`${sessions}/coviu-4`)).json()) as typeof page;
      expect(one.content.map((e) => e.content.entryId)).toEqual(ofSession.map((e) => e.content.entryId));

      const paged = (await (await f.api(`${sessions}?page=1&count=1`)).json()) as typeof page;
      expect(paged.content).toHaveLength(1);
      expect(paged._links.previous).toEqual({ href: `${sessions}?page=0&count=1` });
      expect(paged._links.next).toEqual({ href: `${sessions}?page=2&count=1` });
      expect((await f.api('/v1/orgs/org_someone_else/sessions')).status).toBe(403);
    });
  });

  describe('Datagram aliases', () => {
    const SECRET = 'your-secure-secret';
    const create = (body: Record<string, unknown>) => post('/organization/api/v1/alias/create', body);
    const createAlias = async (name = 'Private Alias Name') => {
      const response = await create({
        type: 'conference',
        name,
        jwt_secret: SECRET,
        expired_at: now() + 3600,
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { data: Alias }).data;
    };
    const aliasToken = (alias: string, extra: Record<string, unknown> = {}, secret = SECRET) =>
      hs256({ alias, user_id: 'user456xxyz', host: true, expires_in: 3600, iat: now(), ...extra }, secret);
    const read = (id: string, authorization?: string) =>
      bare(`/api/v1/alias/${id}`, authorization ? { headers: { authorization } } : {});

    it('creates an alias and answers the documented body, the secret echoed once', async () => {
      const expiredAt = now() + 3600;
      const response = await create({
        type: 'conference',
        name: 'Private Alias Name',
        jwt_secret: SECRET,
        expired_at: expiredAt,
      });
      expect(response.status).toBe(200);
      const { data } = (await response.json()) as { data: Alias };
      expect(data).toEqual({
        id: data.id,
        type: 'conference',
        name: 'Private Alias Name',
        passcode: null,
        jwt_secret: SECRET,
        stream_key: null,
        expired_at: expiredAt,
      });
      expect(data.id).toMatch(/^alias_[A-Za-z0-9]{16}$/);

      const read200 = await read(data.id, `Bearer ${await aliasToken(data.id)}`);
      expect(read200.status).toBe(200);
      const body = (await read200.json()) as { data: Alias };
      expect(body.data).toEqual({ ...data, jwt_secret: null, inserted_at: body.data.inserted_at });
      expect(body.data.inserted_at).toBeGreaterThan(now() - 60);
      expect(body.data.inserted_at).toBeLessThanOrEqual(now());
    });

    it('keeps a passcode given at creation, and gives a live alias a streaming key that only hosts read', async () => {
      const expiredAt = now() + 3600;
      const response = await create({
        type: 'live',
        name: 'Launch stream',
        passcode: 'Pr0d!2024',
        jwt_secret: SECRET,
        expired_at: expiredAt,
      });
      expect(response.status).toBe(200);
      const { data } = (await response.json()) as { data: Alias };
      expect(data).toMatchObject({
        type: 'live',
        passcode: 'Pr0d!2024',
        jwt_secret: SECRET,
        expired_at: expiredAt,
      });
      expect(data.stream_key).toMatch(/^live_[A-Za-z0-9]{32}$/);

      const asHost = (await (await read(data.id, `Bearer ${await aliasToken(data.id)}`)).json()) as {
        data: Alias;
      };
      expect(asHost.data).toMatchObject({
        passcode: 'Pr0d!2024',
        stream_key: data.stream_key,
        jwt_secret: null,
      });
      const viewerToken = await aliasToken(data.id, { user_id: 'viewer-9', host: false });
      const asViewer = (await (await read(data.id, `Bearer ${viewerToken}`)).json()) as { data: Alias };
      expect(asViewer.data).toMatchObject({ passcode: 'Pr0d!2024', stream_key: null, jwt_secret: null });

      // Each live alias has its own key; a conference alias has none.
      const another = (await (
        await create({ type: 'live', jwt_secret: SECRET, expired_at: expiredAt })
      ).json()) as { data: Alias };
      expect(another.data.stream_key).toMatch(/^live_/);
      expect(another.data.stream_key).not.toBe(data.stream_key);
      expect(another.data.passcode).toBeNull();
      expect((await createAlias()).stream_key).toBeNull();
    });

    it('validates the creation body, naming the field, and needs an access token', async () => {
      const valid = { type: 'live', jwt_secret: SECRET, expired_at: now() + 60 };
      for (const [field, change] of [
        ['type', { type: 'webinar' }],
        ['expired_at', { expired_at: now() - 10 }],
        ['expired_at', { expired_at: 'tomorrow' }],
        ['jwt_secret', { jwt_secret: undefined }],
        ['jwt_secret', { jwt_secret: 'short' }],
        ['name', { name: 42 }],
        ['passcode', { passcode: 'abc' }],
        ['passcode', { passcode: 1234 }],
      ] as Array<[string, Record<string, unknown>]>) {
        const response = await create({ ...valid, ...change });
        expect(response.status).toBe(400);
        const body = (await response.json()) as { error: { details: Array<{ field: string }> } };
        expect(body.error.details.map((d) => d.field)).toContain(field);
      }
      const live = await create(valid);
      expect(live.status).toBe(200);
      expect(await live.json()).toMatchObject({ data: { type: 'live', name: null, passcode: null } });

      const anonymous = await bare('/organization/api/v1/alias/create', {
        method: 'POST',
        body: JSON.stringify(valid),
      });
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toEqual(UNAUTHORIZED);
    });

    it('answers exactly Datagram’s 401 for a missing, forged, expired or other alias’s token', async () => {
      const alias = await createAlias('mine');
      const other = await createAlias('theirs');
      const cases = [
        undefined,
        'Bearer',
        'Bearer not-a-jwt',
        `Bearer ${await aliasToken(other.id)}`,
        `Bearer ${await aliasToken(alias.id, {}, 'another-secret')}`,
        `Bearer ${await aliasToken(alias.id, { iat: now() - 7200, expires_in: 60 })}`,
        `Bearer ${await f.mint('someone', alias.id)}`,
      ];
      for (const authorization of cases) {
        const response = await read(alias.id, authorization);
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual(UNAUTHORIZED);
      }
      // Datagram's own example writes no space after "Bearer".
      expect((await read(alias.id, `Bearer${await aliasToken(alias.id)}`)).status).toBe(200);
    });

    it('answers exactly Datagram’s 404 for an alias that does not exist', async () => {
      const alias = await createAlias();
      for (const id of ['alias_doesnotexist0000', 'priva', 'not.an.alias']) {
        const response = await read(id, `Bearer ${await aliasToken(alias.id)}`);
        expect(response.status).toBe(404);
        expect(await response.json()).toEqual(ALIAS_NOT_FOUND);
      }
    });

    it('admits a Datagram token to the alias’s room as host', async () => {
      const alias = await createAlias();
      const response = await f.join(alias.id, { token: await aliasToken(alias.id) });
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({
        status: 'admitted',
        roomId: alias.id,
        peerId: 'user456xxyz',
        role: 'host',
        permissions: { moderate: true },
      });
      const guest = await f.join(alias.id, {
        token: await aliasToken(alias.id, { user_id: 'viewer-1', host: false }),
      });
      expect(await guest.json()).toMatchObject({ role: 'participant', peerId: 'viewer-1' });
    });

    it('creates nothing and answers 503 when the auth service cannot take the secret', async () => {
      // A replica of the rooms service on the same database but a NATS where no auth service listens.
      const lonelyNats = await startPrivateNatsServer(await freePort());
      if (!lonelyNats) throw new Error('nats-server is required for this test');
      const replica = await startRoomsService(
        f.auth,
        { NATS_URL: lonelyNats.url },
        { schema: f.rooms.schema },
      );
      try {
        const before = await f.rooms.app.get(DataSource).query('SELECT count(*)::int AS n FROM aliases');
        const response = await fetch(`${replica.baseUrl}/organization/api/v1/alias/create`, {
          method: 'POST',
          headers: { authorization: `Bearer ${f.accessToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'conference', jwt_secret: SECRET, expired_at: now() + 600 }),
        });
        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({ error: { code: 'auth_unavailable' } });
        const after = await f.rooms.app.get(DataSource).query('SELECT count(*)::int AS n FROM aliases');
        expect(after).toEqual(before);
      } finally {
        await replica.close({ keepSchema: true });
        await lonelyNats.stop();
      }
    });
  });
});
