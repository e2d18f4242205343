import type { RoomsEventMessage, RoomsEventsSubscription } from './rooms-events.source.port';
import { RoomsEventsSource } from './rooms-events.source.port';

/** NATS subject matching: `*` one token, `>` the rest. */
function matches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length || (f[i] !== '*' && f[i] !== s[i])) return false;
  }
  return f.length === s.length;
}

class FakeSubscription implements RoomsEventsSubscription {
  readonly #queue: RoomsEventMessage[] = [];
  #wake?: () => void;
  #end?: { error?: Error };

  constructor(
    readonly filter: string,
    readonly startSequence: number,
  ) {}

  deliver(message: RoomsEventMessage): void {
    this.#queue.push(message);
    this.#wake?.();
  }

  end(error?: Error): void {
    this.#end ??= { error };
    this.#wake?.();
  }

  stop(): void {
    this.end();
  }

  get ended(): boolean {
    return this.#end !== undefined;
  }

  readonly messages: AsyncIterable<RoomsEventMessage> = {
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<RoomsEventMessage>> => {
        for (;;) {
          const message = this.#queue.shift();
          if (message) return { value: message, done: false };
          if (this.#end?.error) throw this.#end.error;
          if (this.#end) return { value: undefined, done: true };
          await new Promise<void>((resolve) => (this.#wake = resolve));
        }
      },
    }),
  };
}

/** The events stream in memory: a log with sequences, read by filter, whose readings a test can break. */
export class FakeRoomsEventsSource extends RoomsEventsSource {
  readonly #log: RoomsEventMessage[] = [];
  readonly #subscriptions: FakeSubscription[] = [];
  /** Subscriptions asked for, with where they started. */
  readonly subscribed: Array<{ filter: string; startSequence?: number }> = [];
  /** While true, subscribing fails as if the bus could not be reached. */
  unreachable = false;

  async subscribe(filter: string, startSequence?: number): Promise<RoomsEventsSubscription> {
    this.subscribed.push({ filter, ...(startSequence !== undefined ? { startSequence } : {}) });
    if (this.unreachable) throw new Error('bus unreachable');
    const from = startSequence ?? this.#log.length + 1;
    const subscription = new FakeSubscription(filter, from);
    for (const message of this.#log)
      if (message.sequence >= from && matches(filter, message.subject)) subscription.deliver(message);
    this.#subscriptions.push(subscription);
    return subscription;
  }

  publish(subject: string, event: unknown): void {
    const message = {
      subject,
      data: new TextEncoder().encode(typeof event === 'string' ? event : JSON.stringify(event)),
      sequence: this.#log.length + 1,
    };
    this.#log.push(message);
    for (const subscription of this.live)
      if (matches(subscription.filter, subject)) subscription.deliver(message);
  }

  /** The subscriptions still being read. */
  get live(): FakeSubscription[] {
    return this.#subscriptions.filter((s) => !s.ended);
  }

  /** Breaks every live reading, as a deleted consumer or a lost connection would. */
  breakAll(error?: Error): void {
    for (const subscription of this.live) subscription.end(error);
  }
}
