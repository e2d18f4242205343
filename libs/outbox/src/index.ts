export { OutboxModule } from './outbox.module';
export { OUTBOX_DEFAULTS, resolveOutboxOptions } from './outbox.options';
export type { OutboxModuleOptions, ResolvedOutboxOptions } from './outbox.options';
export { OUTBOX_OPTIONS } from './outbox.tokens';
export { OutboxWriter } from './outbox-writer';
export type { OutboxRow } from './outbox-writer';
export { OUTBOX_NOTIFY_SQL } from './outbox-sql';
export { OutboxRelay } from './outbox-relay';
export type { OutboxStats } from './outbox-metrics';
export { EventOutboxEntity } from './event-outbox.entity';
export type { StoredTraceHeaders } from './event-outbox.entity';
export { EventOutboxDeadEntity } from './event-outbox-dead.entity';
export { CreateEventOutbox1764100000000 } from './create-event-outbox.migration';
export {
  OutboxError,
  OutboxNotInTransaction,
  OutboxNotMigrated,
  UnknownOutboxContract,
} from './outbox.errors';

import { EventOutboxDeadEntity } from './event-outbox-dead.entity';
import { EventOutboxEntity } from './event-outbox.entity';
import { CreateEventOutbox1764100000000 } from './create-event-outbox.migration';

/** Spread into a service's entity list. */
export const outboxEntities = [EventOutboxEntity, EventOutboxDeadEntity];
/** Spread into a service's migration list, after its own existing migrations. */
export const outboxMigrations = [CreateEventOutbox1764100000000];
