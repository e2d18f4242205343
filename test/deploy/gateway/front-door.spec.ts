import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FrontDoorProcess, repoRoot, startFrontDoor, waitFor } from '../../support/front-door.process';

// The cluster's front door (deploy/gateway/serve.mjs, the Helm chart's `web` Deployment)
// routes each public path to the service the route table names, at the address the chart
// gives it. Here each "service" is a real HTTP server on its own port that says who it is.

const table = JSON.parse(readFileSync(join(repoRoot, 'deploy', 'routes.json'), 'utf8')) as {
  services: Record<string, unknown>;
};

async function startNamedServer(name: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const body =
      req.url === '/readyz'
        ? { status: name === 'stats' ? 'not_ready' : 'ready' }
        : { service: name, path: req.url, forwardedHost: req.headers['x-forwarded-host'] };
    res.writeHead(req.url === '/readyz' && name === 'stats' ? 503 : 200, {
      'content-type': 'application/json',
    });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('the front door in a cluster', () => {
  const servers: http.Server[] = [];
  let upstreams: Record<string, string>;
  let frontDoor: FrontDoorProcess;
  const port = 18000 + (process.pid % 1000);
  const base = `http://127.0.0.1:${port}`;

  beforeAll(async () => {
    upstreams = {};
    for (const name of Object.keys(table.services)) {
      const server = await startNamedServer(name);
      servers.push(server);
      upstreams[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }
    frontDoor = startFrontDoor({
      CONFER_UPSTREAMS: JSON.stringify(upstreams),
      PORT: String(port),
      NATS_URL: '', // media nodes are media-node-routing.spec.ts's
    });
    await waitFor(() => frontDoor.output().includes('front door on port'), 'the front door to listen');
  });

  afterAll(async () => {
    frontDoor?.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  it.each([
    ['/.well-known/jwks.json', 'auth'],
    ['/v1/auth/token', 'auth'],
    ['/v1/rooms/demo/joins', 'rooms'],
    ['/rooms/demo/numberPeers', 'rooms'],
    ['/streaming/statistics/peers?room_id=demo', 'stats'],
    ['/v1/conf/12345678/subscribe', 'webhooks'],
    ['/v1/media/ws', 'media'],
  ])('sends %s to %s at the address the chart gave it', async (path, service) => {
    const response = await fetch(`${base}${path}`);
    const body = (await response.json()) as any;
    // The service learns the host the client asked for (links and token issuers depend on it).
    expect(body).toMatchObject({ service, path, forwardedHost: `127.0.0.1:${port}` });
  });

  it('reports readiness per service, not ready while one is not', async () => {
    const response = await fetch(`${base}/readyz`);
    const body = (await response.json()) as any;
    expect(response.status).toBe(503);
    expect(body.services.stats).toEqual({ status: 'not_ready' });
    expect(body.services.rooms).toEqual({ status: 'ready' });
  });

  it('answers a path no service owns with a JSON 404', async () => {
    const response = await fetch(`${base}/nowhere`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as any).error.code).toBe('not_found');
  });

  it('routes no path to a media node of its own when it follows no NATS (and sends none to the media service)', async () => {
    const response = await fetch(`${base}/v1/media/nodes/serv0-a/v1/media/ws`);
    expect(response.status).toBe(503);
    expect(((await response.json()) as any).error.code).toBe('media_node_unavailable');
  });

  it('answers a malformed path with a 400 and keeps serving', async () => {
    for (const path of ['/assets/%zz', '/call/%']) {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).error.code).toBe('invalid_path');
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('refuses to start when the chart names no address for a service', async () => {
    const { rooms: _dropped, ...partial } = upstreams;
    const started = startFrontDoor({
      CONFER_UPSTREAMS: JSON.stringify(partial),
      PORT: String(port + 1),
    });
    const code = await new Promise<number | null>((resolve) => started.child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(started.output()).toContain('CONFER_UPSTREAMS names no address for: rooms');
  });
});
