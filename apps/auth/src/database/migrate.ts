import { migrateAndExit } from '@confer/database';
import { loadConfig } from '@confer/config';
import { Type } from '@sinclair/typebox';
import { authDatabaseOptions } from './auth-database';

// Only the database settings: migrating must not require the service's secrets.
const config = loadConfig(
  Type.Object({
    DATABASE_URL: Type.String({ default: 'postgres://postgres@127.0.0.1:5432/confer' }),
    AUTH_DB_SCHEMA: Type.String({ default: 'auth' }),
  }),
);
void migrateAndExit(authDatabaseOptions(config.DATABASE_URL, config.AUTH_DB_SCHEMA));
