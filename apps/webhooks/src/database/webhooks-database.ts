import { DatabaseOptions } from '@confer/database';
import { outboxEntities, outboxMigrations } from '@confer/outbox';
import { WebhooksSchema1764300000000 } from './migrations/1764300000000-webhooks-schema';
import { EndpointHealth1764400000000 } from './migrations/1764400000000-endpoint-health';
import { ExpiredDeliveries1764400000001 } from './migrations/1764400000001-expired-deliveries';
import { StreamOrderedIntake1764500000000 } from './migrations/1764500000000-stream-ordered-intake';
import { ConferenceEnds1764600000000 } from './migrations/1764600000000-conference-ends';
import { UnnumberedSettled1764600000001 } from './migrations/1764600000001-unnumbered-settled';
import { LaneSequenceUse1764600000002 } from './migrations/1764600000002-lane-sequence-use';
import { DeliveryTraceContext1764700000000 } from './migrations/1764700000000-delivery-trace-context';

// Every table of the service is reached through SQL in its store (deliveries are claimed
// with conditional updates TypeORM's repositories cannot express); the outbox brings its own.
export const webhooksMigrations = [
  WebhooksSchema1764300000000,
  EndpointHealth1764400000000,
  ExpiredDeliveries1764400000001,
  StreamOrderedIntake1764500000000,
  ConferenceEnds1764600000000,
  UnnumberedSettled1764600000001,
  LaneSequenceUse1764600000002,
  DeliveryTraceContext1764700000000,
  ...outboxMigrations,
];

export function webhooksDatabaseOptions(url: string, schema: string): DatabaseOptions {
  return { url, schema, entities: [...outboxEntities], migrations: webhooksMigrations };
}
