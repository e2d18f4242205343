import { migrateAndExit } from '@confer/database';
import { loadConfig } from '@confer/config';
import { Type } from '@sinclair/typebox';
import { statsDatabaseOptions } from './stats-database';

const config = loadConfig(
  Type.Object({
    DATABASE_URL: Type.String({ default: 'postgres://postgres@127.0.0.1:5432/confer' }),
    STATS_DB_SCHEMA: Type.String({ default: 'stats' }),
  }),
);
void migrateAndExit(statsDatabaseOptions(config.DATABASE_URL, config.STATS_DB_SCHEMA));
