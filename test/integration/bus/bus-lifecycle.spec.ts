import { EVENTS_STREAM, defineCommand } from '@confer/contracts';
import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Type } from '@sinclair/typebox';
import { NatsConnection } from 'nats';
import {
  BUS_OPTIONS,
  BusConnectionError,
  BusHealth,
  BusModule,
  BusNotReady,
  CommandServer,
  EventConsumer,
  EventPublisherPort,
  NATS_CONNECTION,
  ResolvedBusOptions,
} from '@confer/bus';
import {
  NATS_URL,
  Pinged,
  cleanUp,
  observerConnection,
  pinged,
  runId,
  sleep,
  startBus,
  waitFor,
} from './bus-test-kit';

describe('BusModule lifecycle (real NATS)', () => {
  const run = runId();
  const orgId = `bustest-life-${run}`;
  const durable = `bustest-${run}-life`;
  let observer: NatsConnection;

  beforeAll(async () => {
    observer = await observerConnection();
  });

  afterAll(async () => {
    await cleanUp(observer, { orgId, durables: [durable] });
    await observer.close();
  });

  it('reports health, then drains and closes the connection on app.close()', async () => {
    const app = await startBus();
    const nc = app.get<NatsConnection>(NATS_CONNECTION);
    const health = app.get(BusHealth);
    await expect(health.check()).resolves.toBeUndefined();
    expect(await health.isHealthy()).toBe(true);

    await expect(app.close()).resolves.toBeUndefined();

    expect(nc.isClosed()).toBe(true);
    await expect(health.check()).rejects.toBeInstanceOf(BusNotReady);
    expect(await health.isHealthy()).toBe(false);
  });

  it('finishes in-flight events and commands before closing', async () => {
    const app = await startBus({ service: `bustest-${run}` });
    const Slow = defineCommand({
      service: `bustest-${run}`,
      name: 'slow.op',
      summary: 'Takes a while.',
      request: Type.Object({}),
      reply: Type.Object({ done: Type.Boolean() }),
    });
    let eventStarted = false;
    let eventFinished = false;
    await app.get(EventConsumer).consume({
      durable,
      filterSubjects: [`confer.evt.${orgId}.>`],
      contracts: [Pinged],
      handler: async () => {
        eventStarted = true;
        await sleep(300);
        eventFinished = true;
      },
    });
    app.get(CommandServer).handle(Slow, async () => {
      await sleep(300);
      return { done: true };
    });

    await app.get(EventPublisherPort).publish(Pinged, pinged(orgId, 1));
    await waitFor('the handler to start', () => eventStarted);
    const reply = observer.request(Slow.subject, new TextEncoder().encode('{}'), { timeout: 3000 });
    await sleep(50);

    await app.close();

    expect(eventFinished).toBe(true);
    expect((await reply).json()).toEqual({ ok: true, reply: { done: true } });
    const jsm = await observer.jetstreamManager();
    const info = await jsm.consumers.info(EVENTS_STREAM, durable);
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
    expect(info.delivered.stream_seq).toBe(info.ack_floor.stream_seq);
  });

  it('fails start-up with a clear error when NATS is unreachable', async () => {
    const started = Date.now();
    const compiling = Test.createTestingModule({
      imports: [
        BusModule.forRoot({
          service: 'bus-test',
          url: 'nats://127.0.0.1:1',
          connect: { attempts: 2, retryDelayMs: 10, timeoutMs: 500 },
        }),
      ],
    }).compile();
    const err = await compiling.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BusConnectionError);
    expect((err as Error).message).toMatch(
      /Cannot connect to NATS at nats:\/\/127\.0\.0\.1:1 after 2 attempt\(s\)/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('takes its options from a factory with forRootAsync', async () => {
    @Injectable()
    class Settings {
      readonly natsUrl = NATS_URL;
    }
    const app = await Test.createTestingModule({
      imports: [
        BusModule.forRootAsync({
          imports: [{ module: class SettingsModule {}, providers: [Settings], exports: [Settings] }],
          inject: [Settings],
          useFactory: (s: Settings) => ({
            service: 'bus-test-async',
            url: s.natsUrl,
            commandTimeoutMs: 1234,
          }),
        }),
      ],
    }).compile();
    await app.init();
    expect(app.get<ResolvedBusOptions>(BUS_OPTIONS)).toMatchObject({
      service: 'bus-test-async',
      servers: [NATS_URL],
      commandTimeoutMs: 1234,
    });
    await app.get(BusHealth).check();
    await app.close();
  });
});
