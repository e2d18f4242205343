import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConsumerHandle, EventConsumer } from '@confer/bus';
import { AnyEventEnvelope, EVENTS_SUBJECTS } from '@confer/contracts';
import { STATS_CONFIG, StatsConfig } from '../config/stats.config';
import { AttendanceStore } from './attendance-store';
import { consumedContracts, isAttendanceEvent } from './attendance-events';
import { MicroBatcher } from './micro-batcher';
import { StatsMetrics } from './stats.metrics';

/**
 * Every call event (NATS 2.9 allows one filter subject). The events stream's own subject,
 * not `confer.evt.*.*.>`: on 2.9 a filter equal to the stream's subjects takes the
 * unfiltered path, while a wildcard filter makes every pending count scan the stream.
 */
export const ATTENDANCE_FILTER = EVENTS_SUBJECTS;

/**
 * Feeds peer and room events from the durable consumer into the attendance store. Many events
 * are in flight at once and are written together; each is acknowledged only after the
 * transaction holding it committed, so a crash leaves it to be redelivered and, being
 * recorded by id, applied once.
 */
@Injectable()
export class IngestAttendance implements OnApplicationBootstrap {
  private readonly logger = new Logger(IngestAttendance.name);
  private readonly batcher: MicroBatcher<AnyEventEnvelope>;
  private handle?: ConsumerHandle;

  constructor(
    private readonly consumer: EventConsumer,
    private readonly store: AttendanceStore,
    private readonly metrics: StatsMetrics,
    @Inject(STATS_CONFIG) private readonly config: StatsConfig,
  ) {
    this.batcher = new MicroBatcher(async (events) => {
      const applied = await this.store.apply(events);
      this.metrics.recordBatch(applied);
    }, config.STATS_INGEST_MAX_BATCH);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.handle = await this.consumer.consume({
      durable: this.config.STATS_CONSUMER,
      filterSubjects: [ATTENDANCE_FILTER],
      contracts: consumedContracts,
      // A projection: a first deployment rebuilds from what the stream retains.
      deliverPolicy: 'all',
      concurrency: this.config.STATS_INGEST_CONCURRENCY,
      batchSize: Math.min(this.config.STATS_INGEST_CONCURRENCY, 1000),
      maxAckPending: this.config.STATS_INGEST_CONCURRENCY * 2,
      pullExpiresMs: 5000,
      backoffMs: [200, 1000, 5000, 15000],
      handler: async (event) => {
        if (!isAttendanceEvent(event)) return;
        await this.batcher.submit(event);
      },
    });
    this.logger.log({ message: 'consuming call events', durable: this.handle.durable });
  }
}
