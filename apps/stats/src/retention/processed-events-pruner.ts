import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BUS_OPTIONS, ResolvedBusOptions } from '@confer/bus';
import { STATS_CONFIG, StatsConfig } from '../config/stats.config';

const BATCH = 10_000;
const HOUR_MS = 3600_000;

/**
 * The horizon past which an applied event's id can be forgotten. An event comes back only from
 * the stream (a redelivery or a replay), which keeps it at most its max age after storing it —
 * and it was stored before it was first applied — or as a producer's republication, which the
 * stream itself deduplicates within its duplicate window. An id older than both can never be
 * seen again. Even then, every write is idempotent by its own key (connection, role-change
 * event, room life): the ids only keep the counters exact and spare a redelivery the work.
 */
export function eventIdHorizonMs(config: StatsConfig, bus: ResolvedBusOptions): number {
  const horizon = config.STATS_EVENT_ID_RETENTION_HOURS * HOUR_MS;
  const needed = bus.streams.events.maxAgeMs + bus.streams.events.duplicateWindowMs;
  if (horizon <= needed)
    throw new Error(
      `STATS_EVENT_ID_RETENTION_HOURS (${config.STATS_EVENT_ID_RETENTION_HOURS}) must exceed the events stream's ` +
        `max age plus its duplicate window (${(needed / HOUR_MS).toFixed(2)} h)`,
    );
  return horizon;
}

/** Deletes applied event ids past the horizon, in batches; runs on every replica harmlessly. */
@Injectable()
export class ProcessedEventsPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #logger = new Logger(ProcessedEventsPruner.name);
  readonly #horizonMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(STATS_CONFIG) private readonly config: StatsConfig,
    @Inject(BUS_OPTIONS) bus: ResolvedBusOptions,
  ) {
    // Fails the start-up, not the first prune, when the setting cannot be safe.
    this.#horizonMs = eventIdHorizonMs(config, bus);
  }

  onApplicationBootstrap(): void {
    this.#timer = setInterval(() => {
      this.#running = this.runOnce().catch((error: unknown) =>
        this.#logger.error({ message: 'pruning applied event ids failed', error: String(error) }),
      );
    }, this.config.STATS_PRUNE_INTERVAL_SECONDS * 1000);
    this.#timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }

  /** Deletes ids applied before `now` − horizon; returns how many. */
  async runOnce(now: Date = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.#horizonMs);
    let total = 0;
    for (;;) {
      const [{ n }]: { n: number }[] = await this.dataSource.query(
        `WITH gone AS (
           DELETE FROM processed_events WHERE event_id IN (
             SELECT event_id FROM processed_events WHERE processed_at < $1 ORDER BY processed_at LIMIT ${BATCH})
           RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [before],
      );
      total += n;
      if (n < BATCH) break;
    }
    if (total > 0) this.#logger.log({ message: 'pruned applied event ids', rows: total, before });
    return total;
  }
}
