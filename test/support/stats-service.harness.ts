import { StatsModule } from '../../apps/stats/src/stats.module';
import { loadStatsConfig, StatsConfig } from '../../apps/stats/src/config/stats.config';
import { statsDatabaseOptions } from '../../apps/stats/src/database/stats-database';
import { RunningAuthService } from './auth-service.harness';
import { RunningNestService, startNestService } from './nest-service.harness';
import { TEST_DATABASE_URL } from './test-env';

export type RunningStatsService = RunningNestService<StatsConfig>;

/**
 * The real stats service beside a running auth service: same NATS, same issuer, its own
 * schema (or a given one, to restart on the same data).
 */
export function startStatsService(
  auth: RunningAuthService,
  overrides: Partial<Record<string, string>> = {},
  options: { schema?: string } = {},
): Promise<RunningStatsService> {
  return startNestService({
    name: 'stats',
    schema: options.schema,
    databaseOptions: statsDatabaseOptions,
    module: (config) => StatsModule.forConfig(config),
    config: (schema) =>
      loadStatsConfig({
        DATABASE_URL: TEST_DATABASE_URL,
        NATS_URL: auth.natsUrl,
        STATS_DB_SCHEMA: schema,
        PUBLIC_URL: auth.env.PUBLIC_URL,
        AUTH_JWKS_URL: `${auth.baseUrl}/.well-known/jwks.json`,
        LOG_LEVEL: 'warn',
        ...overrides,
      }),
  });
}
