import { EventContract, EventOf } from '@confer/contracts';

export interface PublishResult {
  subject: string;
  /** The stream sequence of the stored message (of the first copy, for a duplicate). */
  sequence: number;
  /** True when the event id was already published inside the duplicate window: nothing new was stored. */
  duplicate: boolean;
}

/**
 * What services inject to publish events (also the DI token). Bound to EventPublisher by
 * BusModule; unit tests bind InMemoryEventPublisher from `@confer/bus/testing` instead.
 */
export abstract class EventPublisherPort {
  abstract publish<C extends EventContract>(contract: C, event: EventOf<C>): Promise<PublishResult>;
}
