import { createHash } from 'crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { RoomsFixture, startRoomsFixture } from '../rooms/rooms-fixture';
import { RunningWebhooksService, startWebhooksService } from '../../support/webhooks-service.harness';
import { Receiver, until } from './receiver';
import { freePort } from '../../support/test-env';
import { sampleSum, scrape } from '../../support/prometheus-text';

interface Grant {
  peerId: string;
  connectionId: string;
}

describe('webhooks service', () => {
  let f: RoomsFixture;
  let w: RunningWebhooksService;
  let receiver: Receiver;

  beforeAll(async () => {
    f = await startRoomsFixture();
    w = await startWebhooksService(f.auth);
    receiver = await Receiver.open();
  });
  afterAll(async () => {
    await receiver?.close();
    await w?.close();
    await f?.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.script.length = 0;
    receiver.fallback = 200;
  });

  const api = (path: string, init: RequestInit = {}) => f.api(path, init, w.baseUrl);
  const subscribe = async (url: string, extra: Record<string, unknown> = {}) => {
    const response = await api(`/v1/orgs/${f.org.orgId}/webhooks/subscriptions`, {
      method: 'POST',
      body: JSON.stringify({ url, ...extra }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; signingSecret?: string; active: boolean };
  };
  const join = async (roomId: string, peerId: string, extra: Record<string, unknown> = {}) => {
    const response = await f.join(roomId, { token: await f.mint(peerId, roomId), peerId, ...extra });
    expect(response.status).toBe(201);
    return (await response.json()) as Grant;
  };
  const bodies = (path?: string) =>
    receiver.received
      .filter((r) => !path || r.path === path)
      .map((r) => JSON.parse(r.body) as { id: string; type: string; data: Record<string, unknown> });

  it('delivers a join as a signed event a receiver verifies against the JWKS from openid_configuration', async () => {
    await subscribe(`${receiver.url}/e2e`, { roomId: 'wh-e2e' });
    await join('wh-e2e', 'alice');
    const got = await until(() =>
      receiver.received.find((r) => r.path === '/e2e' && r.body.includes('peer.joined')),
    );
    const event = JSON.parse(got.body) as { id: string; type: string; data: { peerId: string } };
    expect(event.type).toBe('io.confer.peer.joined');
    expect(event.data.peerId).toBe('alice');

    const oidc = (await (await fetch(`${f.auth.baseUrl}/.well-known/openid-configuration`)).json()) as {
      jwks_uri: string;
      issuer: string;
    };
    const jwks = createRemoteJWKSet(new URL(oidc.jwks_uri.replace(/^https?:\/\/[^/]+/, f.auth.baseUrl)));
    const { payload, protectedHeader } = await jwtVerify(String(got.headers.authorization), jwks, {
      algorithms: ['RS256'],
      audience: 'confer:webhook',
      issuer: oidc.issuer,
    });
    expect(protectedHeader.kid).toBeTruthy();
    expect(payload).toMatchObject({
      sub: 'confer-webhooks@clients',
      azp: 'confer-webhooks',
      gty: 'client-credentials',
      event_id: event.id,
      body_sha256: createHash('sha256').update(got.body).digest('base64url'),
    });
    expect(got.headers['confer-event-id']).toBe(event.id);
    expect(Number(got.headers['confer-sequence'])).toBeGreaterThanOrEqual(1);
  });

  it('retries a delivery answered 500 until a 200, keeping the order of a room', async () => {
    await subscribe(`${receiver.url}/retry`, { roomId: 'wh-retry', eventTypes: ['peer.joined'] });
    const attempts = async (outcome: string) =>
      sampleSum(await scrape(w.baseUrl), 'webhooks_delivery_attempts_total', { outcome });
    const before = { retry: await attempts('retry'), delivered: await attempts('delivered') };
    receiver.script.push(500, 500);
    await join('wh-retry', 'p1');
    await join('wh-retry', 'p2');
    await until(() => bodies('/retry').filter((b) => b.data.peerId === 'p2').length === 1);
    const seen = receiver.received.filter((r) => r.path === '/retry');
    expect(seen.map((r) => (JSON.parse(r.body) as { data: { peerId: string } }).data.peerId)).toEqual([
      'p1',
      'p1',
      'p1',
      'p2',
    ]);
    expect(seen.map((r) => r.headers['confer-sequence'])).toEqual(['1', '1', '1', '2']);
    expect(seen[2].headers['confer-attempt']).toBe('3');
    // Operators count each attempt by its outcome on /metrics (the failure-rate alert reads it).
    expect(await attempts('retry')).toBe(before.retry + 2);
    expect(await attempts('delivered')).toBeGreaterThanOrEqual(before.delivered + 2);
  });

  it('disables the subscriptions of an endpoint that answers 410 Gone', async () => {
    const sub = await subscribe(`${receiver.url}/gone`, { roomId: 'wh-gone' });
    receiver.fallback = 410;
    await join('wh-gone', 'g1');
    await until(() => receiver.received.some((r) => r.path === '/gone'));
    for (let i = 0; i < 100; i++) {
      const s = (await (await api(`/v1/orgs/${f.org.orgId}/webhooks/subscriptions/${sub.id}`)).json()) as {
        active: boolean;
        disabledReason: string;
      };
      if (!s.active) {
        expect(s.disabledReason).toContain('410');
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the subscription stayed active');
  });

  it('disables an endpoint that kept failing for the configured time, and says so in an event', async () => {
    const impatient = await startWebhooksService(f.auth, { WEBHOOK_DISABLE_AFTER_FAILING_SECONDS: '1' });
    try {
      const response = await f.api(
        `/v1/orgs/${f.org.orgId}/webhooks/subscriptions`,
        { method: 'POST', body: JSON.stringify({ url: `${receiver.url}/failing`, roomId: 'wh-failing' }) },
        impatient.baseUrl,
      );
      const sub = (await response.json()) as { id: string };
      receiver.fallback = 503;
      await join('wh-failing', 'f1');
      const isOurs = (e: { type: string; data: unknown }) =>
        e.type === 'io.confer.webhook-endpoint.disabled' &&
        (e.data as { endpoint: string }).endpoint === `${receiver.url}/failing`;
      const disabled = await f.tap.waitFor((events) => events.some(isOurs), 10000);
      const event = disabled.find(isOurs)!;
      expect(event.orgid).toBe(f.org.orgId);
      expect(event.data).toMatchObject({
        endpoint: `${receiver.url}/failing`,
        subscriptionIds: [sub.id],
        reason: 'failing',
        failingSince: expect.any(String),
      });
      const attempts = receiver.received.filter((r) => r.path === '/failing').length;
      expect(attempts).toBeGreaterThan(1);
      const state = (await (
        await f.api(`/v1/orgs/${f.org.orgId}/webhooks/subscriptions/${sub.id}`, {}, impatient.baseUrl)
      ).json()) as { active: boolean; disabledReason: string };
      expect(state.active).toBe(false);
      expect(state.disabledReason).toContain('failed every attempt since');
      // Nothing more is sent to it.
      await join('wh-failing', 'f2');
      await new Promise((r) => setTimeout(r, 500));
      expect(receiver.received.filter((r) => r.path === '/failing').length).toBeLessThanOrEqual(attempts + 1);
    } finally {
      await impatient.close();
    }
  });

  it('sends an event once to an endpoint two valid subscriptions share', async () => {
    await subscribe(`${receiver.url}/dedup`, { roomId: 'wh-dedup' });
    await subscribe(`${receiver.url}/dedup`, { roomId: 'wh-dedup' });
    await join('wh-dedup', 'd1');
    await until(() => bodies('/dedup').some((b) => b.type === 'io.confer.peer.joined'));
    await new Promise((r) => setTimeout(r, 500));
    const ids = bodies('/dedup').map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers Glayr subscribe and unsubscribe, for a bare or Bearer token', async () => {
    await join('wh-glayr', 'host');
    const conference = await until(() =>
      f.tap.of('room.started').find((e) => (e.data as { roomId: string }).roomId === 'wh-glayr'),
    );
    const number = (conference.data as { conferenceNumber: string }).conferenceNumber;
    let answer: Response | undefined;
    for (let i = 0; i < 100; i++) {
      answer = await fetch(`${w.baseUrl}/v1/conf/${number}/subscribe`, {
        method: 'POST',
        headers: { authorization: f.accessToken, 'content-type': 'application/json' },
        body: JSON.stringify({ api_endpoint: `${receiver.url}/glayr` }),
      });
      if (answer.status !== 404) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(answer!.status).toBe(200);
    const body = (await answer!.json()) as Record<string, unknown>;
    expect(body).toEqual({
      openid_configuration: `${f.auth.env.PUBLIC_URL}/.well-known/openid-configuration`,
      expiry_seconds: 259200,
      id: expect.any(String),
      conference_number: number,
    });
    await join('wh-glayr', 'guest');
    await until(() => bodies('/glayr').some((b) => b.data.peerId === 'guest'));

    const refused = await fetch(`${w.baseUrl}/v1/subscription/${String(body.id)}`, { method: 'DELETE' });
    expect(refused.status).toBe(401);
    const removed = await fetch(`${w.baseUrl}/v1/subscription/${String(body.id)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${f.accessToken}` },
    });
    expect(removed.status).toBe(204);
    receiver.received.length = 0;
    await join('wh-glayr', 'late');
    await new Promise((r) => setTimeout(r, 500));
    expect(bodies('/glayr')).toEqual([]);
  });

  it("lets a conference's owner subscribe with a participant token moderating its room, and no one else", async () => {
    await join('wh-owned', 'opener');
    const conference = await until(() =>
      f.tap.of('room.started').find((e) => (e.data as { roomId: string }).roomId === 'wh-owned'),
    );
    const number = (conference.data as { conferenceNumber: string }).conferenceNumber;
    const owner = await f.mint('the-host', 'wh-owned', { role: 'moderator' });
    const subscribeAs = (authorization: string) =>
      fetch(`${w.baseUrl}/v1/conf/${number}/subscribe`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ api_endpoint: `${receiver.url}/owned` }),
      });
    let answer = await subscribeAs(owner);
    for (let i = 0; i < 100 && answer.status === 404; i++) {
      await new Promise((r) => setTimeout(r, 50));
      answer = await subscribeAs(owner);
    }
    expect(answer.status).toBe(200);
    expect(answer.headers.get('www-authenticate')).toBeNull();
    const subscription = (await answer.json()) as { id: string; conference_number: string };
    expect(subscription.conference_number).toBe(number);

    // A participant who does not moderate, and a moderator of another room, are refused.
    const participant = await subscribeAs(await f.mint('just-a-guest', 'wh-owned'));
    expect(participant.status).toBe(403);
    expect(((await participant.json()) as { error: { code: string } }).error.code).toBe(
      'not_conference_owner',
    );
    const elsewhere = await subscribeAs(
      `Bearer ${await f.mint('other-host', 'wh-elsewhere', { role: 'moderator' })}`,
    );
    expect(elsewhere.status).toBe(403);
    // A token that is neither an access token nor a participant token.
    const forged = await subscribeAs(`${owner.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);

    await join('wh-owned', 'guest');
    await until(() => bodies('/owned').some((b) => b.data.peerId === 'guest'));

    // The other room's moderator cannot end it; its owner can.
    const notTheirs = await fetch(`${w.baseUrl}/v1/subscription/${subscription.id}`, {
      method: 'DELETE',
      headers: { authorization: await f.mint('other-host', 'wh-elsewhere', { role: 'moderator' }) },
    });
    expect(notTheirs.status).toBe(404);
    const ended = await fetch(`${w.baseUrl}/v1/subscription/${subscription.id}`, {
      method: 'DELETE',
      headers: { authorization: owner },
    });
    expect(ended.status).toBe(204);
  });

  it('takes the form body curl -d sends, and an expired Glayr subscription gets nothing, pending deliveries expired', async () => {
    const brief = await startWebhooksService(f.auth, {
      GLAYR_SUBSCRIPTION_TTL_SECONDS: '2',
      WEBHOOK_EXPIRY_SWEEP_MS: '100',
    });
    try {
      await join('wh-expiry', 'host');
      let answer: Response | undefined;
      for (let i = 0; i < 100; i++) {
        // What `curl -d '{"api_endpoint": …}'` sends: the JSON text, as a form.
        answer = await fetch(`${brief.baseUrl}/v1/conf/wh-expiry/subscribe`, {
          method: 'POST',
          headers: { authorization: f.accessToken, 'content-type': 'application/x-www-form-urlencoded' },
          body: `{"api_endpoint": "${receiver.url}/expiry"}`,
        });
        if (answer.status !== 404) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(answer!.status).toBe(200);
      expect(((await answer!.json()) as { expiry_seconds: number }).expiry_seconds).toBe(2);
      const subscribedAt = Date.now();
      receiver.fallback = 503;
      await join('wh-expiry', 'guest');
      await until(() => receiver.received.some((r) => r.path === '/expiry'));
      // The subscription runs out while its delivery waits for a retry: the sweep drops it.
      const statuses = await until(async () => {
        const rows = (await brief.db.query(`SELECT status FROM deliveries WHERE target = $1`, [
          `${receiver.url}/expiry`,
        ])) as Array<{ status: string }>;
        return rows.length > 0 && rows.every((r) => r.status === 'expired') && rows;
      }, 8000);
      expect(Date.now() - subscribedAt).toBeGreaterThanOrEqual(1900);
      expect(statuses.length).toBeGreaterThan(0);
      const expiredAt = Date.now();
      receiver.fallback = 200;
      await join('wh-expiry', 'late');
      await new Promise((r) => setTimeout(r, 500));
      expect(receiver.received.filter((r) => r.path === '/expiry' && r.body.includes('"late"'))).toEqual([]);
      expect(expiredAt).toBeGreaterThan(subscribedAt);
    } finally {
      await brief.close();
    }
  });

  it('prunes settled deliveries, bodies and intake marks past retention, keeping the log inside it and what is pending', async () => {
    const brief = await startWebhooksService(f.auth, {
      WEBHOOK_LOG_RETENTION_SECONDS: '2',
      WEBHOOKS_INTAKE_RETENTION_SECONDS: '2',
      WEBHOOK_PRUNE_INTERVAL_MS: '200',
    });
    try {
      const briefApi = (path: string, init: RequestInit = {}) => f.api(path, init, brief.baseUrl);
      const create = async (url: string) => {
        const response = await briefApi(`/v1/orgs/${f.org.orgId}/webhooks/subscriptions`, {
          method: 'POST',
          body: JSON.stringify({ url, roomId: 'wh-retention' }),
        });
        expect(response.status).toBe(201);
        return ((await response.json()) as { id: string }).id;
      };
      const delivered = await create(`${receiver.url}/retention`);
      // Nothing listens there: its delivery stays pending, retried, whatever its age.
      const unreachable = await create(`http://127.0.0.1:${await freePort()}/nobody`);
      await join('wh-retention', 'kept-then-pruned');
      await until(() => bodies('/retention').some((b) => b.data.peerId === 'kept-then-pruned'));
      const log = async (id: string) =>
        (await (
          await briefApi(`/v1/orgs/${f.org.orgId}/webhooks/subscriptions/${id}/deliveries`)
        ).json()) as Array<{
          status: string;
        }>;
      // Inside retention the log shows the delivery.
      expect(
        await until(async () => (await log(delivered)).find((d) => d.status === 'delivered')),
      ).toBeTruthy();
      const count = async (q: string) => ((await brief.db.query(q)) as Array<{ n: number }>)[0].n;
      // Past it, the settled delivery, the events' bodies once unreferenced and their intake marks go.
      await until(async () => (await log(delivered)).length === 0, 8000);
      await until(async () => (await count(`SELECT count(*)::int AS n FROM intake_events`)) === 0, 8000);
      expect(
        await count(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'pending'`),
      ).toBeGreaterThan(0);
      expect((await log(unreachable)).map((d) => d.status)).toContain('pending');
      // The pending delivery's body stays; no other remains.
      expect(
        await count(
          `SELECT count(*)::int AS n FROM event_bodies b
            WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = b.event_id)`,
        ),
      ).toBe(0);
      expect(await count(`SELECT count(*)::int AS n FROM event_bodies`)).toBeGreaterThan(0);
    } finally {
      await brief.close();
    }
  });

  it('refuses http without the setting, private addresses without the allow-list, and bad fields', async () => {
    const strict = await startWebhooksService(f.auth, {
      OUTBOUND_ALLOWED_HOSTS: '',
      WEBHOOKS_ALLOW_HTTP: 'false',
    });
    try {
      const post = (url: string) =>
        f.api(
          `/v1/orgs/${f.org.orgId}/webhooks/subscriptions`,
          { method: 'POST', body: JSON.stringify({ url }) },
          strict.baseUrl,
        );
      const http = await post('http://example.com/hook');
      expect(http.status).toBe(400);
      expect(await http.text()).toContain('https');
      for (const url of [
        'https://127.0.0.1/hook',
        'https://10.0.0.8/hook',
        'https://[::1]/hook',
        'https://localhost/x',
      ]) {
        const response = await post(url);
        expect(response.status).toBe(400);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('endpoint_refused');
      }
      const bad = await post('not a url');
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('url');
    } finally {
      await strict.close();
    }
  });

  it('posts Gcore joinPeer and closePeer bodies to apiEvent with authEvent as Authorization', async () => {
    const grant = await join('wh-gcore', 'gc1', {
      displayName: 'user16',
      apiEvent: `${receiver.url}/gcore`,
      authEvent: 'Basic Z2NvcmU6c2VjcmV0',
    });
    await until(() => receiver.received.some((r) => r.path === '/gcore/joinPeer'));
    const leave = await fetch(`${f.rooms.baseUrl}/v1/rooms/wh-gcore/peers/gc1/leave`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ connectionId: grant.connectionId }),
    });
    expect(leave.status).toBe(204);
    const closed = await until(() => receiver.received.find((r) => r.path === '/gcore/closePeer'));
    const joined = receiver.received.find((r) => r.path === '/gcore/joinPeer')!;
    expect(JSON.parse(joined.body)).toEqual({
      event: 'connected',
      roomId: 'wh-gcore',
      peerId: 'gc1',
      displayName: 'user16',
    });
    expect(JSON.parse(closed.body)).toEqual({
      event: 'disconnected',
      roomId: 'wh-gcore',
      peerId: 'gc1',
      displayName: 'user16',
    });
    expect(joined.headers.authorization).toBe('Basic Z2NvcmU6c2VjcmV0');
    expect(joined.headers['confer-signature']).toBeTruthy();
  });
});
