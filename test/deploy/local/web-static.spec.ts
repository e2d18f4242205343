import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { freePort } from '../../support/test-env';

// The gateway of `npm start` serves the built web client from routes.json's `web` section:
// pages, hashed assets and the iframe bridge, with nothing outside the build reachable.

const root = join(__dirname, '..', '..', '..');
const dist = join(root, 'apps', 'web', 'dist');

/** A raw request: the path goes out as written (fetch would normalise `..`). */
function get(port: number, path: string, method = 'GET') {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path, method }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('the gateway serves the web client', () => {
  let gateway: ChildProcess;
  let port: number;

  beforeAll(async () => {
    if (!existsSync(join(dist, 'call', 'index.html')))
      throw new Error('the web client is not built: run `npx nx build web` (npm test builds it in set-up)');
    const table = JSON.parse(readFileSync(join(root, 'deploy', 'routes.json'), 'utf8'));
    port = await freePort();
    gateway = spawn(
      process.execPath,
      [join(root, 'test', 'e2e', 'browser', 'support', 'gateway-process.mjs')],
      {
        env: {
          ...process.env,
          PORT: String(port),
          CONFER_TEST_TABLE: JSON.stringify({ ...table, services: {}, routes: [] }),
          CONFER_UPSTREAMS: '{}',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      gateway.stdout!.once('data', () => resolve());
      gateway.once('exit', (code) => reject(new Error(`the gateway exited (${code})`)));
    });
  });

  afterAll(() => {
    gateway?.kill('SIGTERM');
  });

  it('answers the /call/ and /webinar/ pages, and redirects the bare paths keeping the query', async () => {
    for (const face of ['call', 'webinar']) {
      const page = await get(port, `/${face}/?roomId=r1&displayName=Ana`);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.body).toContain('<div id="app"');
      const bare = await get(port, `/${face}?roomId=r1`);
      expect(bare.status).toBe(308);
      expect(bare.headers.location).toBe(`/${face}/?roomId=r1`);
    }
  });

  it('serves hashed assets for a year and the bridge under both names, fresh', async () => {
    const asset = readdirSync(join(dist, 'assets')).find((name) => name.endsWith('.js'))!;
    const script = await get(port, `/assets/${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const bridge = await get(port, '/bridge.js');
    const gcore = await get(port, '/meetBridgeApi.js');
    expect(bridge.status).toBe(200);
    expect(bridge.headers['cache-control']).toBe('no-cache');
    expect(gcore.body).toBe(bridge.body);
    expect(bridge.body).toMatch(/^var MeetIframeBridge=/);
  });

  it('reaches nothing outside the build, and refuses what is not a read', async () => {
    for (const path of [
      '/call/../../../package.json',
      '/assets/..%2f..%2f..%2fpackage.json',
      '/assets/nope.js',
    ]) {
      const answer = await get(port, path);
      expect(answer.status).toBe(404);
      expect(JSON.parse(answer.body).error.code).toBe('not_found');
    }
    const post = await get(port, '/call/', 'POST');
    expect(post.status).toBe(405);
    expect(JSON.parse(post.body).error).toEqual({ code: 'method_not_allowed', message: 'POST /call/' });
    expect((await get(port, '/call/', 'HEAD')).status).toBe(200);
  });
});
