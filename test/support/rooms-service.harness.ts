import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { configureHttpApp } from '@confer/http';
import { runMigrations } from '@confer/database';
import { RoomsModule } from '../../apps/rooms/src/rooms.module';
import { loadRoomsConfig, RoomsConfig } from '../../apps/rooms/src/config/rooms.config';
import { roomsDatabaseOptions } from '../../apps/rooms/src/database/rooms-database';
import { RunningAuthService } from './auth-service.harness';
import { freePort, TEST_DATABASE_URL, uniqueSchema } from './test-env';

export interface RunningRoomsService {
  app: NestExpressApplication;
  baseUrl: string;
  config: RoomsConfig;
  schema: string;
  close(options?: { keepSchema?: boolean }): Promise<void>;
}

/**
 * The real rooms service beside a running auth service: same NATS, same issuer,
 * its own schema (or a given one, for a second replica on the same database).
 */
export async function startRoomsService(
  auth: RunningAuthService,
  overrides: Partial<Record<string, string>> = {},
  options: { schema?: string } = {},
): Promise<RunningRoomsService> {
  const schema = options.schema ?? uniqueSchema('rooms');
  if (!options.schema) await runMigrations(roomsDatabaseOptions(TEST_DATABASE_URL, schema));
  const port = await freePort();
  const config = loadRoomsConfig({
    DATABASE_URL: TEST_DATABASE_URL,
    NATS_URL: auth.natsUrl,
    ROOMS_DB_SCHEMA: schema,
    PUBLIC_URL: auth.env.PUBLIC_URL,
    AUTH_JWKS_URL: `${auth.baseUrl}/.well-known/jwks.json`,
    OUTBOUND_ALLOWED_HOSTS: '127.0.0.1,localhost',
    LOG_LEVEL: 'warn',
    ...overrides,
  });
  const moduleRef = await Test.createTestingModule({ imports: [RoomsModule.forConfig(config)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    logger: ['error'],
  });
  configureHttpApp(app, { title: 'Confer rooms API', description: 'test', version: 'test' });
  await app.listen(port, '127.0.0.1');
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    config,
    schema,
    async close({ keepSchema = false } = {}) {
      if (!keepSchema)
        await app
          .get(DataSource)
          .query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
          .catch(() => undefined);
      await app.close();
    },
  };
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
