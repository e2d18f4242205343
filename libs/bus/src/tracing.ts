import { trace } from '@opentelemetry/api';

// A proxy tracer: it follows whichever provider the service registers later.
export const busTracer = trace.getTracer('@confer/bus');

/** Attribute names of the OpenTelemetry messaging semantic conventions. */
export const MessagingAttr = {
  system: 'messaging.system',
  destination: 'messaging.destination.name',
  destinationTemplate: 'messaging.destination.template',
  operationType: 'messaging.operation.type',
  messageId: 'messaging.message.id',
  consumerGroup: 'messaging.consumer.group.name',
  deliveryCount: 'messaging.nats.delivery_count',
  streamSequence: 'messaging.nats.stream_sequence',
} as const;
