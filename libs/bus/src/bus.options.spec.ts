import { resolveBusOptions } from './bus.options';

describe('resolveBusOptions', () => {
  it('applies the contract stream defaults', () => {
    const o = resolveBusOptions({ service: 'auth' }, {});
    expect(o.servers).toEqual(['nats://127.0.0.1:4222']);
    expect(o.streams.events).toMatchObject({
      name: 'CONFER_EVENTS',
      subjects: ['confer.evt.>'],
      storage: 'file',
      duplicateWindowMs: 120_000,
    });
    expect(o.streams.deadLetters).toMatchObject({
      name: 'CONFER_DLQ',
      subjects: ['confer.dlq.>'],
      maxAgeMs: 30 * 24 * 3600 * 1000,
    });
    expect(o.commandTimeoutMs).toBe(2000);
  });

  it('reads NATS_URL, and lets an explicit url win', () => {
    expect(
      resolveBusOptions({ service: 'auth' }, { NATS_URL: 'nats://a:4222, nats://b:4222' }).servers,
    ).toEqual(['nats://a:4222', 'nats://b:4222']);
    expect(
      resolveBusOptions({ service: 'auth', url: 'nats://c:4222' }, { NATS_URL: 'nats://a:4222' }).servers,
    ).toEqual(['nats://c:4222']);
  });

  it('keeps async traces of requests unless a service declines them', () => {
    expect(resolveBusOptions({ service: 'rooms' }, {}).connect.asyncTraces).toBe(true);
    expect(
      resolveBusOptions({ service: 'rooms', connect: { asyncTraces: false } }, {}).connect.asyncTraces,
    ).toBe(false);
  });

  it('overrides stream settings field by field', () => {
    const o = resolveBusOptions(
      { service: 'auth', streams: { events: { maxAgeMs: 1000, replicas: 3 } } },
      {},
    );
    expect(o.streams.events).toMatchObject({ name: 'CONFER_EVENTS', maxAgeMs: 1000, replicas: 3 });
  });

  it('keeps streams on as many JetStream servers as NATS_STREAM_REPLICAS says', () => {
    const o = resolveBusOptions({ service: 'auth' }, { NATS_STREAM_REPLICAS: '3' });
    expect(o.streams.events.replicas).toBe(3);
    expect(o.streams.deadLetters.replicas).toBe(3);
    expect(resolveBusOptions({ service: 'auth' }, {}).streams.events.replicas).toBe(1);
  });

  it.each(['0', '2.5', 'three', '7'])('refuses NATS_STREAM_REPLICAS=%p', (value) => {
    expect(() => resolveBusOptions({ service: 'auth' }, { NATS_STREAM_REPLICAS: value })).toThrow(
      /NATS_STREAM_REPLICAS must be an integer from 1 to 5/,
    );
  });

  it.each(['', 'auth service', 'a.b'])('refuses the service name %p', (service) => {
    expect(() => resolveBusOptions({ service }, {})).toThrow(/service/);
  });
});
