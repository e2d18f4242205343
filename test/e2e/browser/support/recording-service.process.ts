import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RunningAuthService } from '../../../support/auth-service.harness';
import { freePort, TEST_DATABASE_URL, uniqueSchema } from '../../../support/test-env';

const ROOT = join(__dirname, '..', '..', '..', '..');
const DIST = join(ROOT, 'apps', 'recording', 'dist');

export interface RecordingServiceProcess {
  baseUrl: string;
  schema: string;
  /** What the process wrote to stderr (its last 20,000 characters), for failure messages. */
  readonly stderr: string;
  /** SIGTERM, then the exit; its files go with it. */
  stop(): Promise<void>;
}

/**
 * The real recording service as production runs it (`apps/recording/dist/main.js`, after
 * `nx build recording`), on a schema migrated by its own migrate script, beside the
 * browser room's auth service and NATS. It learns which rooms are live from the rooms
 * service's events on that bus, receives the media service's start and stop commands
 * there, and records with ffmpeg into a temporary directory.
 */
export async function spawnRecordingService(auth: RunningAuthService): Promise<RecordingServiceProcess> {
  const schema = uniqueSchema('recording');
  const dir = mkdtempSync(join(tmpdir(), 'confer-browser-recording-'));
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: TEST_DATABASE_URL,
    RECORDING_DB_SCHEMA: schema,
    RECORDING_PORT: String(port),
    NATS_URL: auth.natsUrl,
    PUBLIC_URL: auth.env.PUBLIC_URL,
    AUTH_JWKS_URL: `${auth.baseUrl}/.well-known/jwks.json`,
    RECORDING_WORK_DIR: join(dir, 'work'),
    RECORDING_STORAGE_DIR: join(dir, 'files'),
    RECORDING_RTP_IP: '127.0.0.1',
    // A small composite: this test is about who sees that the room is recorded, not the picture.
    RECORDING_WIDTH: '320',
    RECORDING_HEIGHT: '180',
    RECORDING_FRAME_RATE: '10',
    RECORDING_X264_PRESET: 'ultrafast',
    LOG_LEVEL: 'error',
  };
  await promisify(execFile)(process.execPath, [join(DIST, 'database', 'migrate.js')], { env }).catch(
    (error: { stderr?: string; message: string }) => {
      throw new Error(`the recording service's migrations failed: ${error.stderr || error.message}`);
    },
  );
  let stderr = '';
  const child: ChildProcess = spawn(process.execPath, [join(DIST, 'main.js')], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`the recording process did not become ready: ${stderr.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    schema,
    get stderr() {
      return stderr;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
