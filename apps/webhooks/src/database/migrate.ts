import { migrateAndExit } from '@confer/database';
import { loadConfig } from '@confer/config';
import { Type } from '@sinclair/typebox';
import { webhooksDatabaseOptions } from './webhooks-database';

const config = loadConfig(
  Type.Object({
    DATABASE_URL: Type.String({ default: 'postgres://postgres@127.0.0.1:5432/confer' }),
    WEBHOOKS_DB_SCHEMA: Type.String({ default: 'webhooks' }),
  }),
);
void migrateAndExit(webhooksDatabaseOptions(config.DATABASE_URL, config.WEBHOOKS_DB_SCHEMA));
