import { migrateAndExit } from '@confer/database';
import { loadConfig } from '@confer/config';
import { Type } from '@sinclair/typebox';
import { roomsDatabaseOptions } from './rooms-database';

const config = loadConfig(
  Type.Object({
    DATABASE_URL: Type.String({ default: 'postgres://postgres@127.0.0.1:5432/confer' }),
    ROOMS_DB_SCHEMA: Type.String({ default: 'rooms' }),
  }),
);
void migrateAndExit(roomsDatabaseOptions(config.DATABASE_URL, config.ROOMS_DB_SCHEMA));
