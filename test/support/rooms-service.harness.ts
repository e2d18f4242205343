import { RoomsModule } from '../../apps/rooms/src/rooms.module';
import { loadRoomsConfig, RoomsConfig } from '../../apps/rooms/src/config/rooms.config';
import { roomsDatabaseOptions } from '../../apps/rooms/src/database/rooms-database';
import { RunningAuthService } from './auth-service.harness';
import { RunningNestService, startNestService } from './nest-service.harness';
import { freePort, TEST_DATABASE_URL } from './test-env';

export type RunningRoomsService = RunningNestService<RoomsConfig>;

/**
 * The real rooms service beside a running auth service: same NATS, same issuer,
 * its own schema (or a given one, for a second replica on the same database).
 */
export function startRoomsService(
  auth: RunningAuthService,
  overrides: Partial<Record<string, string>> = {},
  options: { schema?: string } = {},
): Promise<RunningRoomsService> {
  return startNestService({
    name: 'rooms',
    schema: options.schema,
    databaseOptions: roomsDatabaseOptions,
    module: (config) => RoomsModule.forConfig(config),
    config: (schema) =>
      loadRoomsConfig({
        DATABASE_URL: TEST_DATABASE_URL,
        NATS_URL: auth.natsUrl,
        ROOMS_DB_SCHEMA: schema,
        PUBLIC_URL: auth.env.PUBLIC_URL,
        AUTH_JWKS_URL: `${auth.baseUrl}/.well-known/jwks.json`,
        OUTBOUND_ALLOWED_HOSTS: '127.0.0.1,localhost',
        LOG_LEVEL: 'warn',
        ...overrides,
      }),
  });
}

/** The built rooms service as its own process, so a test can kill it outright (SIGKILL). */
export async function spawnRoomsProcess(
  auth: RunningAuthService,
  schema: string,
  overrides: Record<string, string> = {},
): Promise<{ baseUrl: string; kill(): Promise<void> }> {
  const { spawn } = await import('child_process');
  const { join } = await import('path');
  const port = await freePort();
  const child = spawn(process.execPath, [join(__dirname, '..', '..', 'apps', 'rooms', 'dist', 'main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: TEST_DATABASE_URL,
      NATS_URL: auth.natsUrl,
      ROOMS_DB_SCHEMA: schema,
      ROOMS_PORT: String(port),
      PUBLIC_URL: auth.env.PUBLIC_URL,
      AUTH_JWKS_URL: `${auth.baseUrl}/.well-known/jwks.json`,
      LOG_LEVEL: 'error',
      ...overrides,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (attempt > 100 || child.exitCode !== null) throw new Error('the rooms process did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    async kill() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
