import { randomBytes } from 'crypto';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { configureHttpApp } from '@confer/http';
import { runMigrations } from '@confer/database';
import { AuthModule } from '../../../apps/auth/src/auth.module';
import { AuthConfig, loadAuthConfig } from '../../../apps/auth/src/config/auth.config';
import { authDatabaseOptions } from '../../../apps/auth/src/database/auth-database';
import { ParticipantTokensModule } from '../../../apps/auth/src/participant-tokens/participant-tokens.module';
import { TEST_DATABASE_URL, TEST_NATS_URL, uniqueSchema } from '../../support/test-env';
import { startPrivateNatsServer } from './private-nats-server';

export interface RunningAuthWithParticipantTokens {
  app: NestExpressApplication;
  baseUrl: string;
  config: AuthConfig;
  /** The NATS this instance serves its commands on. */
  natsUrl: string;
  close(): Promise<void>;
}

/**
 * The real auth service (real PostgreSQL in a schema of its own, a real NATS server of
 * its own when nats-server is installed) with the participant-tokens module imported
 * explicitly; Nest instantiates a module once, so this is the same app whether or not
 * AuthModule imports it too.
 */
export async function startAuthWithParticipantTokens(): Promise<RunningAuthWithParticipantTokens> {
  const schema = uniqueSchema('auth_pt');
  await runMigrations(authDatabaseOptions(TEST_DATABASE_URL, schema));
  const port = await freePort();
  const nats = await startPrivateNatsServer(await freePort());
  const natsUrl = nats?.url ?? TEST_NATS_URL;
  const config = loadAuthConfig({
    DATABASE_URL: TEST_DATABASE_URL,
    NATS_URL: natsUrl,
    AUTH_DB_SCHEMA: schema,
    SECRET_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AuthModule.forConfig(config), ParticipantTokensModule] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
  configureHttpApp(app, { title: 'Confer auth API', description: 'test', version: 'test' });
  await app.listen(port, '127.0.0.1');
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    config,
    natsUrl,
    async close() {
      await app.get(DataSource).query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await app.close();
      await nats?.stop();
    },
  };
}

async function freePort(): Promise<number> {
  const { createServer } = await import('net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
