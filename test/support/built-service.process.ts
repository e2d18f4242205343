import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { runMigrations } from '@confer/database';
import { roomsDatabaseOptions } from '../../apps/rooms/src/database/rooms-database';
import { statsDatabaseOptions } from '../../apps/stats/src/database/stats-database';
import { webhooksDatabaseOptions } from '../../apps/webhooks/src/database/webhooks-database';
import { recordingDatabaseOptions } from '../../apps/recording/src/database/recording-database';
import { freePort, TEST_DATABASE_URL, uniqueSchema } from './test-env';

/** The services a test can run as built processes (`apps/<name>/dist/main.js`, after `nx build`). */
const SERVICES = {
  rooms: { port: 'ROOMS_PORT', schema: 'ROOMS_DB_SCHEMA', database: roomsDatabaseOptions },
  webhooks: { port: 'WEBHOOKS_PORT', schema: 'WEBHOOKS_DB_SCHEMA', database: webhooksDatabaseOptions },
  stats: { port: 'STATS_PORT', schema: 'STATS_DB_SCHEMA', database: statsDatabaseOptions },
  recording: { port: 'RECORDING_PORT', schema: 'RECORDING_DB_SCHEMA', database: recordingDatabaseOptions },
  // No database of its own.
  media: { port: 'MEDIA_PORT', schema: undefined, database: undefined },
} as const;

export type BuiltServiceName = keyof typeof SERVICES;

export interface BuiltServiceProcess {
  baseUrl: string;
  schema: string;
  /** SIGTERM, then the exit: shutdown hooks run (spans and logs are flushed). */
  stop(): Promise<void>;
  /** SIGKILL, then the exit: nothing of the process runs any more (a crash). */
  kill(): Promise<void>;
  /** What the process wrote to stderr (its last 20,000 characters). */
  readonly stderr: string;
}

export interface SpawnOptions {
  /** Run on this already migrated schema (a restart of the same service) instead of a new one. */
  schema?: string;
  /** Listen on this port (a restart keeping its address); default: a free one. */
  port?: number;
}

/**
 * A service as production runs it: its own process, started by `main.ts` (which loads the
 * telemetry before anything else), on a freshly migrated schema of the test database.
 */
export async function spawnBuiltService(
  name: BuiltServiceName,
  env: Record<string, string>,
  options: SpawnOptions = {},
): Promise<BuiltServiceProcess> {
  const spec = SERVICES[name];
  const schema = options.schema ?? uniqueSchema(name);
  if (!options.schema && spec.database) await runMigrations(spec.database(TEST_DATABASE_URL, schema));
  const port = options.port ?? (await freePort());
  let stderr = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [join(__dirname, '..', '..', 'apps', name, 'dist', 'main.js')],
    {
      env: {
        ...process.env,
        DATABASE_URL: TEST_DATABASE_URL,
        LOG_LEVEL: 'error',
        ...(spec.schema ? { [spec.schema]: schema } : {}),
        [spec.port]: String(port),
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`the ${name} process did not become ready: ${stderr.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const ended = (signal: NodeJS.Signals) => async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  };
  return {
    baseUrl,
    schema,
    stop: ended('SIGTERM'),
    kill: ended('SIGKILL'),
    get stderr() {
      return stderr;
    },
  };
}
