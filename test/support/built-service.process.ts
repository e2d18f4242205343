import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { runMigrations } from '@confer/database';
import { roomsDatabaseOptions } from '../../apps/rooms/src/database/rooms-database';
import { statsDatabaseOptions } from '../../apps/stats/src/database/stats-database';
import { webhooksDatabaseOptions } from '../../apps/webhooks/src/database/webhooks-database';
import { freePort, TEST_DATABASE_URL, uniqueSchema } from './test-env';

/** The services a test can run as built processes (`apps/<name>/dist/main.js`, after `nx build`). */
const SERVICES = {
  rooms: { port: 'ROOMS_PORT', schema: 'ROOMS_DB_SCHEMA', database: roomsDatabaseOptions },
  webhooks: { port: 'WEBHOOKS_PORT', schema: 'WEBHOOKS_DB_SCHEMA', database: webhooksDatabaseOptions },
  stats: { port: 'STATS_PORT', schema: 'STATS_DB_SCHEMA', database: statsDatabaseOptions },
} as const;

export type BuiltServiceName = keyof typeof SERVICES;

export interface BuiltServiceProcess {
  baseUrl: string;
  schema: string;
  /** SIGTERM, then the exit: shutdown hooks run (spans and logs are flushed). */
  stop(): Promise<void>;
}

/**
 * A service as production runs it: its own process, started by `main.ts` (which loads the
 * telemetry before anything else), on a freshly migrated schema of the test database.
 */
export async function spawnBuiltService(
  name: BuiltServiceName,
  env: Record<string, string>,
): Promise<BuiltServiceProcess> {
  const spec = SERVICES[name];
  const schema = uniqueSchema(name);
  await runMigrations(spec.database(TEST_DATABASE_URL, schema));
  const port = await freePort();
  let stderr = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [join(__dirname, '..', '..', 'apps', name, 'dist', 'main.js')],
    {
      env: {
        ...process.env,
        DATABASE_URL: TEST_DATABASE_URL,
        LOG_LEVEL: 'error',
        [spec.schema]: schema,
        [spec.port]: String(port),
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
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
  return {
    baseUrl,
    schema,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
