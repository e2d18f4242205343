import { EVENTS_STREAM, EventOf, subjectOf } from '@confer/contracts';
import { TestingModule } from '@nestjs/testing';
import { NatsConnection } from 'nats';
import {
  BusError,
  ConsumerHandle,
  DeadLetterHeader,
  EventConsumer,
  EventContext,
  EventPublisherPort,
} from '@confer/bus';
import {
  Pinged,
  Ponged,
  cleanUp,
  deadLetterCount,
  event,
  observerConnection,
  pinged,
  readDeadLetters,
  runId,
  sleep,
  startBus,
  waitFor,
} from './bus-test-kit';

describe('EventConsumer (real NATS)', () => {
  const run = runId();
  const orgId = `bustest-con-${run}`;
  const durables: string[] = [];
  let app: TestingModule;
  let observer: NatsConnection;
  let publisher: EventPublisherPort;
  let consumers: EventConsumer;
  const handles: ConsumerHandle[] = [];

  /** Each test gets its own room, filter and durable, so tests never see each other's events. */
  function lane(name: string) {
    const durable = `bustest-${run}-${name}`;
    durables.push(durable);
    return { durable, roomId: name, filter: `confer.evt.${orgId}.${name}.>` };
  }

  async function consumerInfo(durable: string) {
    const jsm = await observer.jetstreamManager();
    return jsm.consumers.info(EVENTS_STREAM, durable);
  }

  beforeAll(async () => {
    app = await startBus();
    observer = await observerConnection();
    publisher = app.get(EventPublisherPort);
    consumers = app.get(EventConsumer);
  });

  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.stop()));
  });

  afterAll(async () => {
    await app.close();
    await cleanUp(observer, { orgId, durables });
    await observer.close();
  });

  it('delivers typed events and acks them', async () => {
    const { durable, roomId, filter } = lane('typed');
    const received: { event: EventOf<typeof Pinged> | EventOf<typeof Ponged>; ctx: EventContext }[] = [];
    handles.push(
      await consumers.consume({
        durable,
        filterSubjects: [filter],
        contracts: [Pinged, Ponged],
        handler: async (e, ctx) => {
          received.push({ event: e, ctx });
        },
      }),
    );

    const ping = { ...pinged(orgId, 7), roomid: roomId };
    const pong = { ...event(Ponged, orgId, { text: 'hi' }), roomid: roomId, extra: 'kept' };
    await publisher.publish(Pinged, ping);
    await publisher.publish(Ponged, pong);

    await waitFor('two events', () => received.length === 2);
    expect(received[0].event).toEqual(ping);
    expect(received[1].event).toEqual(pong); // the unknown field `extra` survives
    expect(received[0].ctx).toEqual({
      subject: subjectOf(Pinged, ping),
      deliveryCount: 1,
      streamSequence: expect.any(Number),
      durable,
    });
    if (received[0].event.type === 'io.confer.bustest.pinged') expect(received[0].event.data.n).toBe(7);

    await waitFor('acks', async () => (await consumerInfo(durable)).num_ack_pending === 0);
    const info = await consumerInfo(durable);
    expect(info.num_pending).toBe(0);
    expect(info.config.ack_policy).toBe('explicit');
    expect(info.config.filter_subject).toBe(filter);
    expect(await deadLetterCount(observer, durable)).toBe(0);
  });

  it('redelivers after a handler failure, with backoff, until it succeeds', async () => {
    const { durable, roomId, filter } = lane('retry');
    const attempts: { deliveryCount: number; at: number }[] = [];
    let done = false;
    handles.push(
      await consumers.consume({
        durable,
        filterSubjects: [filter],
        contracts: [Pinged],
        backoffMs: [150, 300],
        handler: async (_e, ctx) => {
          attempts.push({ deliveryCount: ctx.deliveryCount, at: Date.now() });
          if (ctx.deliveryCount < 3) throw new Error(`transient failure ${ctx.deliveryCount}`);
          done = true;
        },
      }),
    );

    await publisher.publish(Pinged, { ...pinged(orgId, 1), roomid: roomId });
    await waitFor('success on the third delivery', () => done);

    expect(attempts.map((a) => a.deliveryCount)).toEqual([1, 2, 3]);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(140);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(290);
    await waitFor('ack', async () => (await consumerInfo(durable)).num_ack_pending === 0);
    expect(await deadLetterCount(observer, durable)).toBe(0);
  });

  it('dead-letters an event whose handler keeps failing, after maxDeliver attempts', async () => {
    const { durable, roomId, filter } = lane('poison');
    const deliveries: number[] = [];
    handles.push(
      await consumers.consume({
        durable,
        filterSubjects: [filter],
        contracts: [Pinged],
        maxDeliver: 3,
        backoffMs: [50, 100],
        handler: async (_e, ctx) => {
          deliveries.push(ctx.deliveryCount);
          throw new Error('database\r\nis down');
        },
      }),
    );

    const poison = { ...pinged(orgId, 13), roomid: roomId };
    await publisher.publish(Pinged, poison);
    await waitFor('the dead letter', async () => (await deadLetterCount(observer, durable)) === 1);

    const [letter] = await readDeadLetters(observer, durable);
    expect(letter.subject).toBe(`confer.dlq.${durable}`);
    expect(letter.json()).toEqual(poison);
    expect(letter.headers?.get(DeadLetterHeader.reason)).toBe('handler_failed: database is down');
    expect(letter.headers?.get(DeadLetterHeader.subject)).toBe(subjectOf(Pinged, poison));
    expect(letter.headers?.get(DeadLetterHeader.deliveries)).toBe('3');
    expect(letter.headers?.get(DeadLetterHeader.consumer)).toBe(durable);
    expect(letter.headers?.get('Nats-Msg-Id')).toBe(`${poison.id}:${durable}`);

    // Terminated: never delivered again, nothing left pending.
    await sleep(500);
    expect(deliveries).toEqual([1, 2, 3]);
    const info = await consumerInfo(durable);
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
    expect(info.num_redelivered).toBe(0);
  });

  it('dead-letters malformed, invalid and unknown messages at once and keeps processing', async () => {
    const { durable, roomId, filter } = lane('garbage');
    const handled: number[] = [];
    handles.push(
      await consumers.consume({
        durable,
        filterSubjects: [filter],
        contracts: [Pinged],
        handler: async (e) => {
          handled.push(e.data.n);
        },
      }),
    );
    const js = observer.jetstream();
    const subject = `confer.evt.${orgId}.${roomId}.bustest.pinged.v1`;

    await js.publish(subject, new TextEncoder().encode('{not json'));
    const invalid = { ...pinged(orgId, 0), roomid: roomId, data: { n: 'zero' } };
    await js.publish(subject, new TextEncoder().encode(JSON.stringify(invalid)));
    const unknown = { ...event(Ponged, orgId, { text: 'not for me' }), roomid: roomId };
    await js.publish(subject, new TextEncoder().encode(JSON.stringify(unknown)));
    await js.publish(subject, new TextEncoder().encode('[]'));
    await publisher.publish(Pinged, { ...pinged(orgId, 42), roomid: roomId });

    await waitFor('the valid event', () => handled.length === 1);
    expect(handled).toEqual([42]);
    await waitFor('four dead letters', async () => (await deadLetterCount(observer, durable)) === 4);

    const letters = await readDeadLetters(observer, durable);
    const reasons = letters.map((l) => l.headers?.get(DeadLetterHeader.reason));
    expect(reasons[0]).toMatch(/^malformed_json: /);
    expect(reasons[1]).toMatch(/^schema_violation: bustest\.pinged\.v1 is invalid: \/data\/n: /);
    expect(reasons[2]).toBe('unknown_type: io.confer.bustest.ponged v2 is not accepted here');
    expect(reasons[3]).toBe('invalid_envelope: body is not a JSON object');
    expect(letters.every((l) => l.headers?.get(DeadLetterHeader.deliveries) === '1')).toBe(true);
    expect(new TextDecoder().decode(letters[0].data)).toBe('{not json');
    expect(letters[1].headers?.get('Nats-Msg-Id')).toBe(`${invalid.id}:${durable}`);
    expect(letters[0].headers?.get('Nats-Msg-Id')).toMatch(new RegExp(`^seq-\\d+:${durable}$`));

    await waitFor('all settled', async () => (await consumerInfo(durable)).num_ack_pending === 0);
    expect((await consumerInfo(durable)).num_pending).toBe(0);
  });

  it('resumes a durable consumer where it stopped, and updates its settings idempotently', async () => {
    const { durable, roomId, filter } = lane('resume');
    const seen: number[] = [];
    const opts = {
      durable,
      filterSubjects: [filter],
      contracts: [Pinged] as const,
      handler: async (e: EventOf<typeof Pinged>) => {
        seen.push(e.data.n);
      },
    };
    const first = await consumers.consume(opts);
    await publisher.publish(Pinged, { ...pinged(orgId, 1), roomid: roomId });
    await waitFor('first event', () => seen.length === 1);
    await first.stop();

    await publisher.publish(Pinged, { ...pinged(orgId, 2), roomid: roomId });
    handles.push(await consumers.consume({ ...opts, ackWaitMs: 10_000 }));
    await waitFor('second event', () => seen.length === 2);
    expect(seen).toEqual([1, 2]);
    expect((await consumerInfo(durable)).config.ack_wait).toBe(10_000 * 1e6);
  });

  it('starts a new consumer at new events unless asked for the retained history', async () => {
    const news = lane('news');
    const history = lane('history');
    await publisher.publish(Pinged, { ...pinged(orgId, 1), roomid: news.roomId });
    await publisher.publish(Pinged, { ...pinged(orgId, 1), roomid: history.roomId });
    const fromNews: number[] = [];
    const fromHistory: number[] = [];
    handles.push(
      await consumers.consume({
        durable: news.durable,
        filterSubjects: [news.filter],
        contracts: [Pinged],
        handler: async (e) => void fromNews.push(e.data.n),
      }),
      await consumers.consume({
        durable: history.durable,
        filterSubjects: [history.filter],
        contracts: [Pinged],
        deliverPolicy: 'all',
        handler: async (e) => void fromHistory.push(e.data.n),
      }),
    );
    await publisher.publish(Pinged, { ...pinged(orgId, 2), roomid: news.roomId });
    await publisher.publish(Pinged, { ...pinged(orgId, 2), roomid: history.roomId });

    await waitFor('both consumers', () => fromNews.length === 1 && fromHistory.length === 2);
    expect(fromNews).toEqual([2]);
    expect(fromHistory).toEqual([1, 2]);
  });

  it('takes several filter subjects on NATS 2.10+, and says why not on older servers', async () => {
    const a = lane('multi-a');
    const b = lane('multi-b');
    const seen: string[] = [];
    const starting = consumers.consume({
      durable: a.durable,
      filterSubjects: [a.filter, b.filter],
      contracts: [Pinged],
      handler: async (_e, ctx) => void seen.push(ctx.subject.split('.')[3]),
    });
    const [major, minor] = (observer.info?.version ?? '0.0').split('.').map(Number);
    if (major > 2 || (major === 2 && minor >= 10)) {
      handles.push(await starting);
      await publisher.publish(Pinged, { ...pinged(orgId, 1), roomid: a.roomId });
      await publisher.publish(Pinged, { ...pinged(orgId, 2), roomid: b.roomId });
      await waitFor('events from both subjects', () => seen.length === 2);
      expect(seen.sort()).toEqual([a.roomId, b.roomId]);
    } else {
      await expect(starting).rejects.toThrow(BusError);
      await expect(starting).rejects.toThrow(/several filter subjects need NATS server 2\.10/);
    }
  });
});
