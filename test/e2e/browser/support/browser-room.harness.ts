import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { spawn } from 'child_process';
import { startRoomsFixture, RoomsFixture } from '../../../integration/rooms/rooms-fixture';
import { startMediaService, RunningMediaService } from '../../../support/media-service.harness';
import { freePort } from '../../../support/test-env';

const ROOT = join(__dirname, '..', '..', '..', '..');

interface RouteTable {
  services: Record<string, { port: number; entry?: string }>;
  web: unknown;
  routes: Array<{ pattern: string; service: string }>;
}

export interface BrowserRoom extends RoomsFixture {
  media: RunningMediaService;
  /** The one origin the browser sees: the gateway, serving the web client and routing the APIs. */
  baseUrl: string;
  /** The page URL of a room: /call/?roomId=…&… (or /webinar/). */
  url(roomId: string, attributes?: Record<string, string | boolean>, face?: 'call' | 'webinar'): string;
  /** Kills the gateway (every WebSocket through it drops) and starts it again on the same port. */
  restartGateway(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Real auth, rooms and media services on loopback, behind the real gateway of
 * `npm start` (deploy/local/gateway.mjs), which also serves the built web client.
 */
export async function startBrowserRoom(roomsOverrides: Record<string, string> = {}): Promise<BrowserRoom> {
  if (!existsSync(join(ROOT, 'apps', 'web', 'dist', 'call', 'index.html')))
    throw new Error('the web client is not built: run `npx nx build web` (npm test builds it in set-up)');
  const gatewayPort = await freePort();
  const baseUrl = `http://127.0.0.1:${gatewayPort}`;
  const fixture = await startRoomsFixture({
    MEDIA_SERVERS: JSON.stringify([{ id: 'serv0', region: 'local', url: baseUrl }]),
    ...roomsOverrides,
  });
  const media = await startMediaService(fixture.auth, {
    ROOMS_URL: fixture.rooms.baseUrl,
    NATS_URL: fixture.auth.natsUrl,
  });

  const table = JSON.parse(readFileSync(join(ROOT, 'deploy', 'routes.json'), 'utf8')) as RouteTable;
  const running: Record<string, string> = {
    auth: fixture.auth.baseUrl,
    rooms: fixture.rooms.baseUrl,
    media: media.baseUrl,
  };
  // Only the services this test runs; their routes as in production.
  const services = Object.fromEntries(
    Object.keys(running).map((name) => [name, { port: Number(new URL(running[name]).port) }]),
  );
  const routes = table.routes.filter((r) => r.service in running);
  const startGateway = async () => {
    const child = spawn(process.execPath, [join(__dirname, 'gateway-process.mjs')], {
      env: {
        ...process.env,
        PORT: String(gatewayPort),
        CONFER_TEST_TABLE: JSON.stringify({ ...table, services, routes }),
        CONFER_UPSTREAMS: JSON.stringify(running),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`the gateway exited (${code})`)));
    });
    return child;
  };
  const stopGateway = async (signal: NodeJS.Signals) => {
    const exited = new Promise((resolve) => gateway.once('exit', resolve));
    gateway.kill(signal);
    await exited;
  };
  let gateway = await startGateway();

  return {
    ...fixture,
    media,
    baseUrl,
    url(roomId, attributes = {}, face = 'call') {
      const query = new URLSearchParams({ roomId });
      for (const [name, value] of Object.entries(attributes)) query.set(name, String(value));
      return `${baseUrl}/${face}/?${query}`;
    },
    async restartGateway() {
      // Killed outright, the way a crash or a network cut drops every connection through it.
      await stopGateway('SIGKILL');
      gateway = await startGateway();
    },
    async close() {
      await stopGateway('SIGTERM');
      await media.close();
      await fixture.close();
    },
  };
}
