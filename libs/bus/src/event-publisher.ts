import { Inject, Injectable } from '@nestjs/common';
import { EventContract, EventOf, eventFilter, parseEvent, subjectOf } from '@confer/contracts';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { JetStreamClient, NatsConnection } from 'nats';
import { EventPublishFailed, describe } from './bus.errors';
import { ResolvedBusOptions } from './bus.options';
import { BUS_OPTIONS, NATS_CONNECTION } from './bus.tokens';
import { EventPublisherPort, PublishResult } from './event-publisher.port';
import { encodeJson } from './json';
import { injectTraceHeaders } from './trace-headers';
import { MessagingAttr, busTracer } from './tracing';

/** Publishes call events to JetStream, at most once per event id inside the duplicate window. */
@Injectable()
export class EventPublisher extends EventPublisherPort {
  private readonly js: JetStreamClient;
  private readonly streamName: string;

  constructor(@Inject(NATS_CONNECTION) nc: NatsConnection, @Inject(BUS_OPTIONS) options: ResolvedBusOptions) {
    super();
    this.js = nc.jetstream();
    this.streamName = options.streams.events.name;
  }

  /**
   * Validates, then stores the event. Throws SchemaViolation for an event its own contract
   * rejects, EventPublishFailed when JetStream does not acknowledge it. Publishing again with
   * the same id (a retry after an unknown outcome) is safe: the result says `duplicate`.
   */
  async publish<C extends EventContract>(contract: C, event: EventOf<C>): Promise<PublishResult> {
    parseEvent(contract, event);
    const subject = subjectOf(contract, event);
    // Span names must be low-cardinality: the subject template, not org and room ids.
    const template = eventFilter({ type: contract.type, version: contract.version });
    const span = busTracer.startSpan(`publish ${template}`, {
      kind: SpanKind.PRODUCER,
      attributes: {
        [MessagingAttr.system]: 'nats',
        [MessagingAttr.operationType]: 'send',
        [MessagingAttr.destination]: subject,
        [MessagingAttr.destinationTemplate]: template,
        [MessagingAttr.messageId]: event.id,
      },
    });
    try {
      const headers = injectTraceHeaders(trace.setSpan(context.active(), span));
      const ack = await this.js.publish(subject, encodeJson(event), {
        msgID: event.id,
        headers,
        // Fails loudly if a misconfigured stream captured the subject instead of ours.
        expect: { streamName: this.streamName },
      });
      span.setAttribute('messaging.nats.duplicate', ack.duplicate);
      return { subject, sequence: ack.seq, duplicate: ack.duplicate };
    } catch (err) {
      span.recordException(err instanceof Error ? err : new Error(describe(err)));
      span.setStatus({ code: SpanStatusCode.ERROR, message: describe(err) });
      throw new EventPublishFailed(subject, event.id, err);
    } finally {
      span.end();
    }
  }
}
