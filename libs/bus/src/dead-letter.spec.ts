import { headers } from 'nats';
import {
  DeadLetterHeader,
  deadLetterHeaders,
  deadLetterMsgId,
  deadLetterReason,
  headerSafe,
} from './dead-letter';

describe('dead letters', () => {
  it('keys a dead letter by event id, or stream sequence, and consumer', () => {
    expect(deadLetterMsgId({ eventId: 'e1', streamSequence: 9, durable: 'audit' })).toBe('e1:audit');
    expect(deadLetterMsgId({ streamSequence: 9, durable: 'audit' })).toBe('seq-9:audit');
  });

  it('makes reasons safe header values', () => {
    expect(deadLetterReason('handler_failed', 'line one\r\nline two\n')).toBe(
      'handler_failed: line one line two',
    );
    expect(deadLetterReason('malformed_json', '')).toBe('malformed_json');
    expect(headerSafe('x'.repeat(2000))).toHaveLength(1024);
  });

  it('describes where the message came from and keeps its trace context', () => {
    const original = headers();
    original.set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    original.set('Nats-Msg-Id', 'e1');
    const h = deadLetterHeaders({
      cause: 'schema_violation',
      detail: '/data/n: Expected integer',
      durable: 'audit',
      subject: 'confer.evt.o._.peer.joined.v1',
      deliveries: 1,
      streamSequence: 42,
      eventId: 'e1',
      original,
    });
    expect(h.get(DeadLetterHeader.reason)).toBe('schema_violation: /data/n: Expected integer');
    expect(h.get(DeadLetterHeader.subject)).toBe('confer.evt.o._.peer.joined.v1');
    expect(h.get(DeadLetterHeader.deliveries)).toBe('1');
    expect(h.get(DeadLetterHeader.consumer)).toBe('audit');
    expect(h.get(DeadLetterHeader.streamSequence)).toBe('42');
    expect(h.get('traceparent')).toBe(original.get('traceparent'));
    // The dead letter gets its own id (set at publish), never the event's.
    expect(h.has('Nats-Msg-Id')).toBe(false);
  });
});
