import { DatabaseOptions } from '@confer/database';
import { outboxEntities, outboxMigrations } from '@confer/outbox';
import { RecordingSchema1764900000000 } from './migrations/1764900000000-recording-schema';

// Plain SQL throughout (see recordings/recordings.store.ts); only the outbox has entities.
export const recordingEntities = [...outboxEntities];
export const recordingMigrations = [RecordingSchema1764900000000, ...outboxMigrations];

export function recordingDatabaseOptions(url: string, schema: string): DatabaseOptions {
  return { url, schema, entities: recordingEntities, migrations: recordingMigrations };
}
