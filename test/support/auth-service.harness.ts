import { randomBytes } from 'crypto';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { configureHttpApp } from '@confer/http';
import { runMigrations } from '@confer/database';
import { AuthModule } from '../../apps/auth/src/auth.module';
import { AuthConfig, loadAuthConfig } from '../../apps/auth/src/config/auth.config';
import { authDatabaseOptions } from '../../apps/auth/src/database/auth-database';
import { freePort, TEST_DATABASE_URL, TEST_NATS_URL, uniqueSchema } from './test-env';
import { startPrivateNatsServer } from './private-nats-server';

export interface RunningAuthService {
  app: NestExpressApplication;
  baseUrl: string;
  config: AuthConfig;
  /** The NATS this instance serves its commands on (its own server, so suites cannot answer each other). */
  natsUrl: string;
  /** The environment a child process (the CLI) needs to act on this instance's data. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The real auth service on a free port, against the real PostgreSQL (in a schema
 * of its own, migrated like production) and the real NATS.
 */
export async function startAuthService(
  overrides: Partial<Record<string, string>> = {},
): Promise<RunningAuthService> {
  const schema = uniqueSchema('auth');
  const nats = await startPrivateNatsServer(await freePort());
  const env: Record<string, string> = {
    DATABASE_URL: TEST_DATABASE_URL,
    NATS_URL: nats?.url ?? TEST_NATS_URL,
    AUTH_DB_SCHEMA: schema,
    SECRET_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    PUBLIC_URL: 'http://127.0.0.1:0',
    LOG_LEVEL: 'warn',
    ...overrides,
  } as Record<string, string>;
  await runMigrations(authDatabaseOptions(env.DATABASE_URL, schema));

  // The issuer must be the URL clients reach, known only once the port is bound:
  // bind first on a throwaway server to learn a free port.
  const port = overrides.AUTH_PORT ? Number(overrides.AUTH_PORT) : await freePort();
  if (!overrides.PUBLIC_URL) env.PUBLIC_URL = `http://127.0.0.1:${port}`;
  const config = loadAuthConfig(env);

  const moduleRef = await Test.createTestingModule({ imports: [AuthModule.forConfig(config)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    logger: ['error'],
  });
  configureHttpApp(app, { title: 'Confer auth API', description: 'test', version: 'test' });
  await app.listen(port, '127.0.0.1');

  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    config,
    natsUrl: env.NATS_URL,
    env,
    async close() {
      const dataSource = app.get(DataSource);
      await dataSource.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await app.close();
      await nats?.stop();
    },
  };
}
