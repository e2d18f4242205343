import { DatabaseOptions } from '@confer/database';
import { WebhooksSchema1764300000000 } from './migrations/1764300000000-webhooks-schema';

// Every table is reached through SQL in its store (deliveries are claimed with
// conditional updates TypeORM's repositories cannot express), so no entities.
export const webhooksMigrations = [WebhooksSchema1764300000000];

export function webhooksDatabaseOptions(url: string, schema: string): DatabaseOptions {
  return { url, schema, entities: [], migrations: webhooksMigrations };
}
