import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { configureHttpApp } from '@confer/http';
import { runMigrations } from '@confer/database';
import { StatsModule } from '../../apps/stats/src/stats.module';
import { loadStatsConfig, StatsConfig } from '../../apps/stats/src/config/stats.config';
import { statsDatabaseOptions } from '../../apps/stats/src/database/stats-database';
import { RunningAuthService } from './auth-service.harness';
import { freePort, TEST_DATABASE_URL, uniqueSchema } from './test-env';

export interface RunningStatsService {
  app: NestExpressApplication;
  baseUrl: string;
  config: StatsConfig;
  schema: string;
  /** Stops the service; keepSchema leaves its data for a restarted instance. */
  close(options?: { keepSchema?: boolean }): Promise<void>;
}

/**
 * The real stats service beside a running auth service: same NATS, same issuer, its own
 * schema (or a given one, to restart on the same data).
 */
export async function startStatsService(
  auth: RunningAuthService,
  overrides: Partial<Record<string, string>> = {},
  options: { schema?: string } = {},
): Promise<RunningStatsService> {
  const schema = options.schema ?? uniqueSchema('stats');
  if (!options.schema) await runMigrations(statsDatabaseOptions(TEST_DATABASE_URL, schema));
  const port = await freePort();
  const config = loadStatsConfig({
    DATABASE_URL: TEST_DATABASE_URL,
    NATS_URL: auth.natsUrl,
    STATS_DB_SCHEMA: schema,
    PUBLIC_URL: auth.env.PUBLIC_URL,
    AUTH_JWKS_URL: `${auth.baseUrl}/.well-known/jwks.json`,
    LOG_LEVEL: 'warn',
    ...overrides,
  });
  const moduleRef = await Test.createTestingModule({ imports: [StatsModule.forConfig(config)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    logger: ['error'],
  });
  configureHttpApp(app, { title: 'Confer stats API', description: 'test', version: 'test' });
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
