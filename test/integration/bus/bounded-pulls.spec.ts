import { EVENTS_STREAM } from '@confer/contracts';
import { TestingModule } from '@nestjs/testing';
import { NatsConnection } from 'nats';
import { AddressInfo, Server, Socket, createServer, connect as tcpConnect } from 'net';
import { ConsumerHandle, EventConsumer, EventPublisherPort } from '@confer/bus';
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

/**
 * A TCP relay to NATS that can freeze: bytes stop flowing both ways while the sockets stay
 * open, which is what the server sees of a process that hangs or is cut off by the network
 * (a process that exits closes its connection, and the server then drops its pulls).
 */
class FreezableRelay {
  #frozen = false;
  readonly #sockets = new Set<Socket>();

  private constructor(readonly server: Server) {}

  static async open(target: URL): Promise<FreezableRelay> {
    const server = createServer();
    const relay = new FreezableRelay(server);
    server.on('connection', (client) => {
      const upstream = tcpConnect(Number(target.port), target.hostname);
      for (const [from, to] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        relay.#sockets.add(from);
        from.on('data', (chunk) => void (relay.#frozen ? undefined : to.write(chunk)));
        from.on('error', () => to.destroy());
        from.on('close', () => to.destroy());
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return relay;
  }

  get url(): string {
    return `nats://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  freeze(): void {
    this.#frozen = true;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe('EventConsumer with bounded pulls (real NATS)', () => {
  const run = runId();
  const orgId = `bustest-pull-${run}`;
  const durables: string[] = [];
  let app: TestingModule;
  let observer: NatsConnection;
  let publisher: EventPublisherPort;
  const handles: ConsumerHandle[] = [];

  const lane = (name: string) => {
    const durable = `bustest-${run}-${name}`;
    durables.push(durable);
    return { durable, roomId: name, filter: `confer.evt.${orgId}.${name}.>` };
  };
  const consumerInfo = async (durable: string) =>
    (await observer.jetstreamManager()).consumers.info(EVENTS_STREAM, durable);
  const publish = (roomId: string, from: number, count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        publisher.publish(Pinged, { ...pinged(orgId, from + i), roomid: roomId }),
      ),
    );

  beforeAll(async () => {
    app = await startBus();
    observer = await observerConnection();
    publisher = app.get(EventPublisherPort);
  });

  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.stop()));
  });

  afterAll(async () => {
    await app.close();
    await cleanUp(observer, { orgId, durables });
    await observer.close();
  });

  it('keeps unacknowledged events under maxAckPending and takes a larger backlog whole, once each', async () => {
    const { durable, roomId, filter } = lane('backlog');
    const limit = 40;
    await publish(roomId, 0, 400);
    const seen = new Map<number, number>();
    handles.push(
      await app.get(EventConsumer).consume({
        durable,
        filterSubjects: [filter],
        contracts: [Pinged],
        deliverPolicy: 'all',
        concurrency: 100,
        batchSize: 25,
        maxAckPending: limit,
        pullExpiresMs: 1000,
        handler: async (e) => {
          await sleep(5);
          seen.set(e.data.n, (seen.get(e.data.n) ?? 0) + 1);
        },
      }),
    );
    const samples: number[] = [];
    await waitFor(
      'the whole backlog',
      async () => {
        const info = await consumerInfo(durable);
        samples.push(info.num_ack_pending);
        return info.num_pending === 0 && info.num_ack_pending === 0 && seen.size === 400;
      },
      20_000,
    );
    expect(Math.max(...samples)).toBeGreaterThan(0); // sampled while events were in hand
    expect(Math.max(...samples)).toBeLessThanOrEqual(limit);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  it("lets a successor receive new events at once when a hung process's pulls lapse (not after the ack wait)", async () => {
    const { durable, roomId, filter } = lane('hung');
    const relay = await FreezableRelay.open(new URL(NATS_URL));
    const hungApp = await startBus({ url: relay.url });
    try {
      const options = {
        durable,
        filterSubjects: [filter],
        contracts: [Pinged] as const,
        ackWaitMs: 30_000,
        pullExpiresMs: 1000,
      };
      const first: number[] = [];
      await hungApp
        .get(EventConsumer)
        .consume({ ...options, handler: async (e) => void first.push(e.data.n) });
      await publish(roomId, 0, 1);
      await waitFor('the first process to be pulling', () => first.length === 1);

      // The first process hangs with a pull outstanding; a successor takes over.
      relay.freeze();
      const second: number[] = [];
      handles.push(
        await app
          .get(EventConsumer)
          .consume({ ...options, handler: async (e) => void second.push(e.data.n) }),
      );
      await sleep(1500); // the hung process's last pull lapses
      await publish(roomId, 1, 20);
      // Well inside the 30 s ack wait: none of them went to the hung process.
      await waitFor('the successor to receive every new event', () => second.length === 20, 10_000);
      expect(second.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(first).toEqual([0]);
    } finally {
      await relay.close();
      await hungApp.close().catch(() => undefined);
    }
  });

  it('refuses a pull expiry under a second', async () => {
    const { durable, filter } = lane('bad-expiry');
    await expect(
      app.get(EventConsumer).consume({
        durable,
        filterSubjects: [filter],
        contracts: [Pinged],
        pullExpiresMs: 200,
        handler: async () => undefined,
      }),
    ).rejects.toThrow(/pullExpiresMs/);
  });
});
