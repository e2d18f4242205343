import { DatabaseOptions } from '@confer/database';
import { outboxEntities, outboxMigrations } from '@confer/outbox';
import { StatsSchema1764300000000 } from './migrations/1764300000000-stats-schema';
import { SessionsInWholeBuckets1764400000000 } from './migrations/1764400000000-sessions-in-whole-buckets';
import { RoomVersions1764500000000 } from './migrations/1764500000000-room-versions';
import { SessionPersonJson1764600000000 } from './migrations/1764600000000-session-person-json';
import { RoleChangeConnection1764700000000 } from './migrations/1764700000000-role-change-connection';
import { RecordedParts1764800000000 } from './migrations/1764800000000-recorded-parts';

// The aggregation is set-based SQL (see ingestion/attendance-store.ts); only the outbox has entities.
export const statsEntities = [...outboxEntities];
export const statsMigrations = [
  StatsSchema1764300000000,
  SessionsInWholeBuckets1764400000000,
  RoomVersions1764500000000,
  SessionPersonJson1764600000000,
  RoleChangeConnection1764700000000,
  RecordedParts1764800000000,
  ...outboxMigrations,
];

export function statsDatabaseOptions(url: string, schema: string): DatabaseOptions {
  return { url, schema, entities: statsEntities, migrations: statsMigrations };
}
