import { migrateAndExit } from '@confer/database';
import { loadConfig } from '@confer/config';
import { Type } from '@sinclair/typebox';
import { recordingDatabaseOptions } from './recording-database';

const config = loadConfig(
  Type.Object({
    DATABASE_URL: Type.String({ default: 'postgres://postgres@127.0.0.1:5432/confer' }),
    RECORDING_DB_SCHEMA: Type.String({ default: 'recording' }),
  }),
);
void migrateAndExit(recordingDatabaseOptions(config.DATABASE_URL, config.RECORDING_DB_SCHEMA));
