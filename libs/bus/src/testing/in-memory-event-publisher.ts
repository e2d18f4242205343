import { EventContract, EventOf, parseEvent, subjectOf } from '@confer/contracts';
import { EventPublisherPort, PublishResult } from '../event-publisher.port';

export interface PublishedEvent {
  contract: EventContract;
  subject: string;
  event: EventOf<EventContract>;
}

/**
 * Stands in for EventPublisher in unit tests: same validation, same subject, same
 * deduplication by event id, no NATS. Bind it with
 * `{ provide: EventPublisherPort, useClass: InMemoryEventPublisher }`.
 */
export class InMemoryEventPublisher extends EventPublisherPort {
  readonly published: PublishedEvent[] = [];
  private readonly sequenceById = new Map<string, number>();
  /** Set to make the next publications fail, as when JetStream is unavailable. */
  failWith?: Error;

  async publish<C extends EventContract>(contract: C, event: EventOf<C>): Promise<PublishResult> {
    parseEvent(contract, event);
    const subject = subjectOf(contract, event);
    if (this.failWith) throw this.failWith;
    const seen = this.sequenceById.get(event.id);
    if (seen !== undefined) return { subject, sequence: seen, duplicate: true };
    // Keep a copy: a caller mutating its object afterwards must not rewrite history.
    this.published.push({ contract, subject, event: structuredClone(event) as EventOf<EventContract> });
    const sequence = this.published.length;
    this.sequenceById.set(event.id, sequence);
    return { subject, sequence, duplicate: false };
  }

  /** The stored events of one contract, typed. */
  eventsOf<C extends EventContract>(contract: C): EventOf<C>[] {
    return this.published
      .filter((p) => p.contract.type === contract.type && p.contract.version === contract.version)
      .map((p) => p.event as EventOf<C>);
  }

  clear(): void {
    this.published.length = 0;
    this.sequenceById.clear();
    this.failWith = undefined;
  }
}
