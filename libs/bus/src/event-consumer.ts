import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { EventContract } from '@confer/contracts';
import { JetStreamManager, NatsConnection } from 'nats';
import { DEFAULT_BACKOFF_MS, DEFAULT_MAX_DELIVER } from './backoff';
import { BusError } from './bus.errors';
import { ResolvedBusOptions } from './bus.options';
import { BUS_OPTIONS, NATS_CONNECTION } from './bus.tokens';
import { ensureConsumer } from './consumer-setup';
import { DurableConsumer } from './durable-consumer';
import { ConsumeOptions, ConsumerHandle } from './event-consumer.options';

/** Starts durable pull consumers on the events stream, and stops them all before the connection drains. */
@Injectable()
export class EventConsumer implements BeforeApplicationShutdown {
  private readonly running = new Set<ConsumerHandle>();
  private jsm?: Promise<JetStreamManager>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(BUS_OPTIONS) private readonly options: ResolvedBusOptions,
  ) {}

  /**
   * Creates or updates the durable consumer, then starts handling events. Resolves once
   * pulling has begun. Call it from onModuleInit/onApplicationBootstrap.
   */
  async consume<const Cs extends readonly EventContract[]>(
    opts: ConsumeOptions<Cs>,
  ): Promise<ConsumerHandle> {
    const maxDeliver = opts.maxDeliver ?? DEFAULT_MAX_DELIVER;
    const concurrency = opts.concurrency ?? 1;
    if (opts.contracts.length === 0)
      throw new BusError(`Consumer ${opts.durable}: contracts must not be empty`);
    if (!Number.isInteger(maxDeliver) || maxDeliver < 1)
      throw new BusError(`Consumer ${opts.durable}: maxDeliver must be ≥ 1`);
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new BusError(`Consumer ${opts.durable}: concurrency must be ≥ 1`);
    if (opts.pullExpiresMs !== undefined && !(opts.pullExpiresMs >= 1000))
      throw new BusError(`Consumer ${opts.durable}: pullExpiresMs must be ≥ 1000`);
    const maxAckPending = opts.maxAckPending ?? 1000;

    const stream = this.options.streams.events.name;
    this.jsm ??= this.nc.jetstreamManager();
    await ensureConsumer(this.nc, await this.jsm, {
      stream,
      durable: opts.durable,
      filterSubjects: opts.filterSubjects,
      ackWaitMs: opts.ackWaitMs ?? 30_000,
      maxAckPending,
      deliverPolicy: opts.deliverPolicy ?? 'new',
      description: `${this.options.service}: ${opts.contracts.map((c) => `${c.type}.v${c.version}`).join(', ')}`,
    });

    const consumer = new DurableConsumer(this.nc.jetstream(), {
      stream,
      durable: opts.durable,
      contracts: opts.contracts,
      handler: opts.handler,
      maxDeliver,
      backoffMs: opts.backoffMs ?? DEFAULT_BACKOFF_MS,
      concurrency,
      batchSize: opts.batchSize ?? 10,
      shutdownTimeoutMs: this.options.shutdownTimeoutMs,
      maxAckPending,
      pullExpiresMs: opts.pullExpiresMs,
    });
    await consumer.start();

    const handle: ConsumerHandle = {
      durable: opts.durable,
      stop: async () => {
        this.running.delete(handle);
        await consumer.stop();
      },
    };
    this.running.add(handle);
    return handle;
  }

  /** Runs before the connection's drain (onApplicationShutdown), so in-flight events can still be acked. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.running].map((h) => h.stop()));
  }
}
