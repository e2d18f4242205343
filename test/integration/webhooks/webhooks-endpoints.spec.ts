import { createHmac } from 'crypto';
import { createServer, IncomingHttpHeaders, Server } from 'http';
import { createServer as createTcpServer, Server as TcpServer, Socket } from 'net';
import { RoomsFixture, startRoomsFixture } from '../rooms/rooms-fixture';
import { RunningWebhooksService, startWebhooksService } from '../../support/webhooks-service.harness';
import { until } from './receiver';

interface Hit {
  path: string;
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Endpoints that misbehave on purpose, beside one that answers 200, on one HTTP server. */
class Endpoints {
  readonly hits: Hit[] = [];
  /** Per path: what to answer with a Retry-After for the first n hits. */
  readonly retryAfter = new Map<string, { times: number; seconds: string }>();
  server!: Server;
  url = '';

  static async open(): Promise<Endpoints> {
    const e = new Endpoints();
    e.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '';
        e.hits.push({
          path,
          at: Date.now(),
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        if (path === '/hang') return; // never answers
        if (path === '/redirect') {
          res.writeHead(302, { location: `${e.url}/redirect` });
          return res.end();
        }
        if (path === '/huge') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          const chunk = Buffer.alloc(64 * 1024, 'x');
          for (let i = 0; i < 64; i++) res.write(chunk); // 4 MiB
          return res.end();
        }
        const limited = e.retryAfter.get(path);
        if (limited && limited.times > 0) {
          limited.times--;
          res.writeHead(503, { 'retry-after': limited.seconds });
          return res.end();
        }
        res.writeHead(200);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => e.server.listen(0, '127.0.0.1', resolve));
    const address = e.server.address();
    e.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return e;
  }

  at(path: string): Hit[] {
    return this.hits.filter((h) => h.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe('webhooks endpoints that misbehave, redelivery, Standard Webhooks', () => {
  let f: RoomsFixture;
  let w: RunningWebhooksService;
  let endpoints: Endpoints;
  let garbage: TcpServer;
  let garbageUrl: string;
  const garbageSockets = new Set<Socket>();

  beforeAll(async () => {
    f = await startRoomsFixture();
    w = await startWebhooksService(f.auth, { WEBHOOK_TIMEOUT_MS: '700' });
    endpoints = await Endpoints.open();
    // Not HTTP at all: a line of garbage, then the connection closes.
    garbage = createTcpServer((socket) => {
      garbageSockets.add(socket);
      socket.on('close', () => garbageSockets.delete(socket));
      socket.end('this is not http\r\n\r\n');
    });
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
    const address = garbage.address();
    garbageUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/garbage`;
  });
  afterAll(async () => {
    // The service first: it keeps retrying the bad endpoints until it stops.
    await w?.close();
    await endpoints?.close();
    for (const socket of garbageSockets) socket.destroy();
    await new Promise((resolve) => garbage?.close(resolve));
    await f?.close();
  });

  const api = (path: string, init: RequestInit = {}) => f.api(path, init, w.baseUrl);
  const subscribe = async (url: string, extra: Record<string, unknown> = {}) => {
    const response = await api(`/v1/orgs/${f.org.orgId}/webhooks/subscriptions`, {
      method: 'POST',
      body: JSON.stringify({ url, ...extra }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; signingSecret?: string };
  };
  const join = async (roomId: string, peerId: string) => {
    const response = await f.join(roomId, { token: await f.mint(peerId, roomId), peerId });
    expect(response.status).toBe(201);
  };
  const log = async (id: string, query = '') => {
    const response = await api(`/v1/orgs/${f.org.orgId}/webhooks/subscriptions/${id}/deliveries${query}`);
    return {
      status: response.status,
      body: (await response.json()) as Array<{
        id: string;
        eventId: string;
        status: string;
        lastStatus: number | null;
        lastError: string | null;
      }>,
    };
  };
  const peers = (path: string) =>
    endpoints.at(path).map((h) => (JSON.parse(h.body) as { data: { peerId: string } }).data.peerId);

  it('hanging, redirecting, flooding and garbage-speaking endpoints cost only their own deliveries', async () => {
    const room = 'wh-misbehaving';
    const bad = {
      hang: await subscribe(`${endpoints.url}/hang`, { roomId: room }),
      redirect: await subscribe(`${endpoints.url}/redirect`, { roomId: room }),
      huge: await subscribe(`${endpoints.url}/huge`, { roomId: room }),
      garbage: await subscribe(garbageUrl, { roomId: room }),
    };
    await subscribe(`${endpoints.url}/good`, { roomId: room, eventTypes: ['peer.joined'] });
    const started = Date.now();
    for (const peer of ['g1', 'g2', 'g3']) await join(room, peer);
    // The good endpoint has every join, in order, before a single bad attempt could time out twice.
    await until(() => peers('/good').length === 3);
    expect(peers('/good')).toEqual(['g1', 'g2', 'g3']);
    expect(Date.now() - started).toBeLessThan(1400);

    // The redirect was not followed: one request per attempt, recorded as a failure to retry.
    const redirect = await until(async () => {
      const entries = (await log(bad.redirect.id)).body;
      return entries.find((d) => d.lastStatus === 302) && entries;
    });
    expect(redirect.every((d) => d.status === 'pending')).toBe(true);
    // A hang ends at the timeout and is retried; garbage is an error, retried; a flood of
    // 4 MiB after a 200 is still a 200, read no further than needed.
    const hang = await until(async () => (await log(bad.hang.id)).body.find((d) => d.lastError !== null));
    expect(hang.lastError).toMatch(/700 ms/);
    const garbled = await until(async () =>
      (await log(bad.garbage.id)).body.find((d) => d.lastError !== null),
    );
    expect(garbled.status).toBe('pending');
    expect(garbled.lastStatus).toBeNull();
    const huge = await until(async () => {
      const entries = (await log(bad.huge.id)).body.filter((d) => d.status === 'delivered');
      return entries.length >= 3 && entries;
    });
    expect(huge.every((d) => d.lastStatus === 200)).toBe(true);
    // The redirect never led to a second request to the location it named within one attempt.
    const attempts = endpoints.at('/redirect').length;
    expect(attempts).toBeGreaterThan(0);
    expect(attempts).toBeLessThanOrEqual(redirect.length * 20);
  });

  it('honours Retry-After before trying again', async () => {
    const room = 'wh-retry-after';
    endpoints.retryAfter.set('/busy', { times: 1, seconds: '2' });
    await subscribe(`${endpoints.url}/busy`, { roomId: room, eventTypes: ['peer.joined'] });
    await join(room, 'patient');
    await until(() => endpoints.at('/busy').length === 2, 10000);
    const [first, second] = endpoints.at('/busy');
    // The retry schedule alone would try again after about 100 ms here.
    expect(second.at - first.at).toBeGreaterThanOrEqual(1900);
    expect(second.headers['confer-attempt']).toBe('2');
  });

  it('signs with Standard Webhooks, and redelivers one delivery or everything since a time', async () => {
    const room = 'wh-redeliver';
    const since = new Date(Date.now() - 1000).toISOString();
    const std = await subscribe(`${endpoints.url}/std`, {
      roomId: room,
      eventTypes: ['peer.joined'],
      standardWebhooks: true,
    });
    expect(std.signingSecret).toMatch(/^whsec_/);
    await join(room, 'r1');
    await join(room, 'r2');
    await until(() => endpoints.at('/std').length === 2);

    // A receiver verifies webhook-signature with the subscription's secret.
    const key = Buffer.from(std.signingSecret!.replace(/^whsec_/, ''), 'base64');
    for (const hit of endpoints.at('/std')) {
      const id = String(hit.headers['webhook-id']);
      const timestamp = String(hit.headers['webhook-timestamp']);
      const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${hit.body}`).digest('base64');
      expect(String(hit.headers['webhook-signature']).split(' ')).toContain(`v1,${expected}`);
      expect(id).toBe((JSON.parse(hit.body) as { id: string }).id);
    }

    const delivered = await until(async () => {
      const entries = (await log(std.id, '?status=delivered')).body;
      return entries.length === 2 && entries;
    });
    const one = delivered[0];
    const again = await api(
      `/v1/orgs/${f.org.orgId}/webhooks/subscriptions/${std.id}/deliveries/${one.id}/redeliver`,
      { method: 'POST' },
    );
    expect(again.status).toBe(202);
    await until(() => endpoints.at('/std').length === 3);
    const resent = endpoints.at('/std')[2];
    expect(resent.headers['confer-event-id']).toBe(one.eventId);
    expect(resent.headers['confer-attempt']).toBe('1');

    await until(async () => (await log(std.id, '?status=delivered')).body.length === 2);
    const all = await api(`/v1/orgs/${f.org.orgId}/webhooks/subscriptions/${std.id}/redeliver`, {
      method: 'POST',
      body: JSON.stringify({ since }),
    });
    expect(all.status).toBe(202);
    expect(await all.json()).toEqual({ redelivering: 2 });
    await until(() => endpoints.at('/std').length === 5);

    // Bad input is refused, naming the field.
    const badSince = await api(`/v1/orgs/${f.org.orgId}/webhooks/subscriptions/${std.id}/redeliver`, {
      method: 'POST',
      body: JSON.stringify({ since: 'yesterday' }),
    });
    expect(badSince.status).toBe(400);
    expect(JSON.stringify(await badSince.json())).toContain('since');
    const badStatus = await log(std.id, '?status=sent');
    expect(badStatus.status).toBe(400);
    expect(JSON.stringify(badStatus.body)).toContain('status');
    const unknown = await api(
      `/v1/orgs/${f.org.orgId}/webhooks/subscriptions/${std.id}/deliveries/999999999/redeliver`,
      { method: 'POST' },
    );
    expect(unknown.status).toBe(404);
  });
});
