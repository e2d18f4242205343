import { EVENTS_STREAM, SchemaViolation, subjectOf } from '@confer/contracts';
import { TestingModule } from '@nestjs/testing';
import { NatsConnection } from 'nats';
import { EventPublisher, EventPublisherPort } from '@confer/bus';
import {
  Pinged,
  cleanUp,
  countOnSubject,
  observerConnection,
  pinged,
  readStored,
  runId,
  startBus,
} from './bus-test-kit';

describe('EventPublisher (real NATS)', () => {
  const orgId = `bustest-pub-${runId()}`;
  let app: TestingModule;
  let observer: NatsConnection;
  let publisher: EventPublisherPort;

  beforeAll(async () => {
    app = await startBus();
    observer = await observerConnection();
    publisher = app.get(EventPublisherPort);
  });

  afterAll(async () => {
    await cleanUp(observer, { orgId });
    await app.close();
    await observer.close();
  });

  it('binds the port to the JetStream publisher', () => {
    expect(publisher).toBeInstanceOf(EventPublisher);
    expect(app.get(EventPublisher)).toBe(publisher);
  });

  it('creates the events stream with the contract defaults', async () => {
    const jsm = await observer.jetstreamManager();
    const info = await jsm.streams.info(EVENTS_STREAM);
    expect(info.config.subjects).toEqual(['confer.evt.>']);
    expect(info.config.storage).toBe('file');
    expect(info.config.duplicate_window).toBe(2 * 60 * 1e9);
    expect(info.config.max_age).toBe(7 * 24 * 3600 * 1e9);
    expect((await jsm.streams.info('CONFER_DLQ')).config.subjects).toEqual(['confer.dlq.>']);
  });

  it('stores an event once when the same id is published twice', async () => {
    const event = pinged(orgId, 1);
    const subject = subjectOf(Pinged, event);

    const first = await publisher.publish(Pinged, event);
    const second = await publisher.publish(Pinged, event);

    expect(first).toEqual({ subject, sequence: expect.any(Number), duplicate: false });
    expect(second).toEqual({ subject, sequence: first.sequence, duplicate: true });
    expect(await countOnSubject(observer, EVENTS_STREAM, subject)).toBe(1);

    const [stored] = await readStored(observer, EVENTS_STREAM, subject);
    expect(stored.headers?.get('Nats-Msg-Id')).toBe(event.id);
    expect(stored.json()).toEqual(event);
  });

  it('stores distinct ids as distinct messages', async () => {
    const a = pinged(orgId, 2);
    const b = { ...pinged(orgId, 3), roomid: 'room-b' };
    await publisher.publish(Pinged, a);
    const result = await publisher.publish(Pinged, b);
    expect(result.subject).toBe(`confer.evt.${orgId}.room-b.bustest.pinged.v1`);
    expect(await countOnSubject(observer, EVENTS_STREAM, result.subject)).toBe(1);
  });

  it('refuses to publish an event its contract rejects, storing nothing', async () => {
    const bad = { ...pinged(orgId, 4), roomid: 'room-invalid', data: { n: 'four' } } as unknown as ReturnType<
      typeof pinged
    >;
    await expect(publisher.publish(Pinged, bad)).rejects.toBeInstanceOf(SchemaViolation);
    expect(await countOnSubject(observer, EVENTS_STREAM, subjectOf(Pinged, bad))).toBe(0);
  });
});
