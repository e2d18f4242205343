export { BusModule } from './bus.module';
export type { BusModuleAsyncOptions } from './bus.module';
export {
  DEFAULT_NATS_URL,
  DEFAULT_EVENTS_STREAM,
  DEFAULT_DEAD_LETTER_STREAM,
  resolveBusOptions,
} from './bus.options';
export type { BusModuleOptions, ResolvedBusOptions, StreamSettings } from './bus.options';
export { BUS_OPTIONS, NATS_CONNECTION } from './bus.tokens';
export {
  BusError,
  BusConnectionError,
  BusNotReady,
  EventPublishFailed,
  CommandCallError,
  CommandTimeout,
  CommandUnavailable,
  CommandFailed,
  CommandRequestInvalid,
  CommandReplyInvalid,
  CommandRejection,
} from './bus.errors';
export { BusHealth } from './bus-health';
export { EventPublisherPort } from './event-publisher.port';
export type { PublishResult } from './event-publisher.port';
export { EventPublisher } from './event-publisher';
export { EventConsumer } from './event-consumer';
export type { ConsumeOptions, ConsumerHandle, EventContext, EventHandler } from './event-consumer.options';
export { DEFAULT_BACKOFF_MS, DEFAULT_MAX_DELIVER, backoffFor } from './backoff';
export { DeadLetterHeader } from './dead-letter';
export type { DeadLetterCause } from './dead-letter';
export { CommandClient } from './command-client';
export type { CommandRequestOptions } from './command-client';
export { CommandServer, NotHeldHere } from './command-server';
export type { CommandContext, CommandHandler, CommandRegistration, HandleOptions } from './command-server';
export { INVALID_REQUEST, INTERNAL } from './command-result';
export { Announcements } from './announcements';
export type { AnnouncementHandle } from './announcements';
