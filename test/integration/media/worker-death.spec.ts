import { execFileSync, spawn } from 'child_process';
import { join } from 'path';
import { loadMediaConfig, workerBinOf } from '../../../apps/media/src/config/media.config';
import { SignalingTestClient } from '../../support/media-signaling.client';
import { freePort } from '../../support/test-env';
import { RoomsFixture, startRoomsFixture } from '../rooms/rooms-fixture';

const workerBin = workerBinOf(loadMediaConfig({ MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN }));

/** The built media service as its own process, so its worker can die and take it down. */
describe('a mediasoup worker dying', () => {
  let f: RoomsFixture;

  beforeAll(async () => {
    f = await startRoomsFixture();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('ends its peers cleanly: told why, and left in the rooms service before the process exits', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [join(__dirname, '..', '..', '..', 'apps', 'media', 'dist', 'main.js')],
      {
        env: {
          ...process.env,
          MEDIA_PORT: String(port),
          MEDIA_WORKERS: '1',
          MEDIASOUP_WORKER_BIN: workerBin,
          NATS_URL: f.auth.natsUrl,
          ROOMS_URL: f.rooms.baseUrl,
          PUBLIC_URL: f.auth.env.PUBLIC_URL,
          AUTH_JWKS_URL: `${f.auth.baseUrl}/.well-known/jwks.json`,
          HOST: '127.0.0.1',
          LOG_LEVEL: 'error',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) break;
        } catch {
          // not listening yet
        }
        if (attempt > 100 || child.exitCode !== null) throw new Error(`media did not start: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const clients: Array<{ c: SignalingTestClient; connectionId: string }> = [];
      for (const identity of ['ana', 'ben']) {
        const token = await f.mint(identity, 'doomed');
        const answer = (await (await f.join('doomed', { token })).json()) as {
          connectionId: string;
          grant: { token: string };
        };
        const c = await SignalingTestClient.connect(`ws://127.0.0.1:${port}/v1/media/ws`);
        await c.request('join', { grant: answer.grant.token });
        clients.push({ c, connectionId: answer.connectionId });
      }
      // Its metrics say what it carries, as a scrape would read them.
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/^media_rooms(\{[^}]*\})? 1$/m);
      expect(metrics).toMatch(/^media_peers\{[^}]*attached="true"[^}]*\} 2$/m);
      expect(metrics).toMatch(/^media_peers_admitted(_total)?(\{[^}]*\})? 2$/m);
      expect(metrics).toMatch(/^media_worker_cpu_seconds\{[^}]*pid="\d+"[^}]*\} [0-9.e-]+$/m);
      const workerPid = Number(
        execFileSync('pgrep', ['-P', String(child.pid), '-f', 'mediasoup-worker'])
          .toString()
          .trim(),
      );
      process.kill(workerPid, 'SIGKILL');

      for (const { c } of clients) expect(await c.next('sessionClosed')).toEqual({ reason: 'room closed' });
      expect(await exited).toBe(1);
      expect(stderr).toContain('mediasoup worker died');
      // The leaves reached the rooms service before the process went: clean peer.left events.
      await f.tap.waitFor(
        (events) =>
          clients.every(({ connectionId }) =>
            events.some(
              (e) =>
                e.type === 'io.confer.peer.left' &&
                (e.data as { connectionId: string }).connectionId === connectionId,
            ),
          ),
        5000,
      );
      for (const { connectionId } of clients) {
        const left = f.tap
          .of('peer.left')
          .find((e) => (e.data as { connectionId: string }).connectionId === connectionId);
        expect(left?.data).toMatchObject({ reason: 'left' });
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 30000);
});
