import { connect, DeliverPolicy, JSONCodec, NatsConnection } from 'nats';
import { AnyEventEnvelope, EVENTS_STREAM } from '@confer/contracts';

/** Collects the call events published on a subject filter, for assertions. */
export class EventTap {
  readonly events: AnyEventEnvelope[] = [];
  #stop: (() => void) | undefined;
  #skipped = 0;

  private constructor(private readonly nc: NatsConnection) {}

  static async open(natsUrl: string, filter: string): Promise<EventTap> {
    const nc = await connect({ servers: natsUrl });
    const tap = new EventTap(nc);
    const js = nc.jetstream();
    const jsm = await nc.jetstreamManager();
    // The stream exists once a service using the bus has started.
    await jsm.streams.info(EVENTS_STREAM);
    const consumer = await js.consumers.get(EVENTS_STREAM, {
      filterSubjects: filter,
      deliver_policy: DeliverPolicy.New,
    });
    const messages = await consumer.consume();
    const codec = JSONCodec<AnyEventEnvelope>();
    tap.#stop = () => messages.stop();
    void (async () => {
      for await (const message of messages) {
        try {
          tap.events.push(codec.decode(message.data));
        } catch {
          // A test may publish garbage on purpose: the tap keeps reading, and counts it.
          tap.#skipped++;
        }
      }
    })();
    return tap;
  }

  /** Messages on the filter that were not JSON, so not collected. */
  get skipped(): number {
    return this.#skipped;
  }

  /** Events of one type (`peer.left`), in arrival order. */
  of(type: string): AnyEventEnvelope[] {
    return this.events.filter((e) => e.type === `io.confer.${type}`);
  }

  async waitFor(
    predicate: (events: AnyEventEnvelope[]) => boolean,
    timeoutMs = 5000,
  ): Promise<AnyEventEnvelope[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      if (Date.now() > deadline)
        throw new Error(
          `events not seen in ${timeoutMs} ms; got ${this.events.map((e) => e.type).join(', ')}`,
        );
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.events;
  }

  async close(): Promise<void> {
    this.#stop?.();
    await this.nc.close();
  }
}
