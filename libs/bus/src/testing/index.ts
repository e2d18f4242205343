export { InMemoryEventPublisher } from './in-memory-event-publisher';
export type { PublishedEvent } from './in-memory-event-publisher';
