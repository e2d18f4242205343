import { ConsumerEvents, ConsumerMessages, DeliverPolicy, NatsConnection } from 'nats';
import type { RoomsEventMessage, RoomsEventsSubscription } from './rooms-events.source.port';
import { RoomsEventsSource } from './rooms-events.source.port';

/**
 * When its consumer is deleted or the server stops sending heartbeats, the ordered
 * consumer waits on its own (and, with the consumer gone, may never read again) while its
 * messages neither end nor flow. End them instead, so the reader starts a new reading
 * from the last event it saw, and says it is not reading meanwhile.
 */
const LOST = new Set<string>([
  ConsumerEvents.ConsumerDeleted,
  ConsumerEvents.HeartbeatsMissed,
  ConsumerEvents.StreamNotFound,
  ConsumerEvents.NoResponders,
]);

async function endWhenLost(consumed: ConsumerMessages): Promise<void> {
  for await (const status of await consumed.status()) {
    if (!LOST.has(status.type)) continue;
    consumed.stop(new Error(`rooms events consumer lost (${status.type}: ${String(status.data)})`));
    return;
  }
}

/**
 * The events stream read through ordered, ephemeral consumers: every media process
 * needs every decision about its own peers, and several processes may serve one server
 * id, so a shared durable consumer (which would split the events between them) will not
 * do; the server forgets an ordered consumer when its process goes.
 */
export class JetStreamRoomsEventsSource extends RoomsEventsSource {
  constructor(
    private readonly nc: NatsConnection,
    private readonly stream: string,
  ) {
    super();
  }

  async subscribe(filter: string, startSequence?: number): Promise<RoomsEventsSubscription> {
    // "From now" as a sequence rather than DeliverPolicy.New, so nothing published
    // between reading the stream's end and creating the consumer is missed.
    const start =
      startSequence ??
      (await (await this.nc.jetstreamManager()).streams.info(this.stream)).state.last_seq + 1;
    const consumer = await this.nc.jetstream().consumers.get(this.stream, {
      name_prefix: 'media',
      filterSubjects: filter,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: start,
    });
    const consumed = await consumer.consume();
    void endWhenLost(consumed);
    async function* messages(): AsyncGenerator<RoomsEventMessage> {
      for await (const message of consumed)
        yield { subject: message.subject, data: message.data, sequence: message.info.streamSequence };
    }
    return { startSequence: start, messages: messages(), stop: () => consumed.stop() };
  }
}
