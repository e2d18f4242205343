import { Logger } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { CommandClient } from '@confer/bus';
import { PipeSpanProducer } from '@confer/contracts';
import type { SpanBus } from './room-span';

/** A pipe request waits this long for the producer's node (it answers in a few ms). */
const PIPE_REQUEST_TIMEOUT_MS = 3000;

/**
 * Room spans over NATS: shares on core NATS (a lost one is healed by the next heartbeat),
 * pipe requests as a command answered by the node holding the producer.
 */
export function natsSpanBus(nc: NatsConnection, commands: CommandClient): SpanBus {
  const logger = new Logger('RoomSpanBus');
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return {
    publish: (subject, message) => nc.publish(subject, encoder.encode(JSON.stringify(message))),
    subscribe(subject, onMessage) {
      const subscription = nc.subscribe(subject, {
        callback: (error, message) => {
          if (error) {
            logger.warn({ msg: 'room span subscription failed', subject, error: String(error) });
            return;
          }
          let data: unknown;
          try {
            data = JSON.parse(decoder.decode(message.data));
          } catch {
            data = undefined; // refused and logged by the span as malformed
          }
          onMessage(data);
        },
      });
      return () => subscription.unsubscribe();
    },
    requestPipe: (request) =>
      commands.request(PipeSpanProducer, request, { timeoutMs: PIPE_REQUEST_TIMEOUT_MS }),
  };
}
