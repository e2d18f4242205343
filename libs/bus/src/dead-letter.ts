import { deadLetterSubject } from '@confer/contracts';
import { JetStreamClient, JsMsg, MsgHdrs, headers as natsHeaders } from 'nats';

/** Why a message was dead-lettered; the first word of the Confer-Dlq-Reason header. */
export type DeadLetterCause =
  | 'malformed_json'
  | 'invalid_envelope'
  | 'unknown_type'
  | 'schema_violation'
  | 'handler_failed'
  | 'delivery_limit';

export const DeadLetterHeader = {
  reason: 'Confer-Dlq-Reason',
  subject: 'Confer-Dlq-Subject',
  deliveries: 'Confer-Dlq-Deliveries',
  consumer: 'Confer-Dlq-Consumer',
  streamSequence: 'Confer-Dlq-Stream-Sequence',
} as const;

/** Headers of the original message worth keeping on the dead letter (to follow its trace). */
const KEPT_HEADERS = ['traceparent', 'tracestate'];
const MAX_REASON_LENGTH = 1024;

export interface DeadLetter {
  cause: DeadLetterCause;
  detail: string;
  durable: string;
  subject: string;
  deliveries: number;
  streamSequence: number;
  /** The event id when the body had one; it makes the dead letter idempotent per event and consumer. */
  eventId?: string;
  original?: MsgHdrs;
}

/** NATS header values cannot hold CR/LF; an error message easily does. */
export function headerSafe(text: string, max = MAX_REASON_LENGTH): string {
  const flat = text.replace(/[\r\n]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function deadLetterReason(cause: DeadLetterCause, detail: string): string {
  return headerSafe(detail ? `${cause}: ${detail}` : cause);
}

/**
 * Dedup key: a redelivery of the same message (say its term() was lost) must not be
 * dead-lettered twice, yet two consumers dead-lettering one event must both be kept.
 */
export function deadLetterMsgId(letter: Pick<DeadLetter, 'eventId' | 'streamSequence' | 'durable'>): string {
  return `${letter.eventId ?? `seq-${letter.streamSequence}`}:${letter.durable}`;
}

export function deadLetterHeaders(letter: DeadLetter): MsgHdrs {
  const h = natsHeaders();
  for (const key of KEPT_HEADERS) {
    const value = letter.original?.get(key);
    if (value) h.set(key, value);
  }
  h.set(DeadLetterHeader.reason, deadLetterReason(letter.cause, letter.detail));
  h.set(DeadLetterHeader.subject, letter.subject);
  h.set(DeadLetterHeader.deliveries, String(letter.deliveries));
  h.set(DeadLetterHeader.consumer, letter.durable);
  h.set(DeadLetterHeader.streamSequence, String(letter.streamSequence));
  return h;
}

/** Stores the original body of `msg` on the consumer's dead-letter subject, byte for byte. */
export async function sendToDeadLetters(js: JetStreamClient, msg: JsMsg, letter: DeadLetter): Promise<void> {
  await js.publish(deadLetterSubject(letter.durable), msg.data, {
    msgID: deadLetterMsgId(letter),
    headers: deadLetterHeaders(letter),
  });
}
