import { getMeter } from '@confer/telemetry';
import { BatchObservableCallback, Counter, Meter, ObservableGauge } from '@opentelemetry/api';

export interface OutboxStats {
  pending: number;
  /** Null when nothing is pending. */
  oldestAgeMs: number | null;
}

/**
 * The relay's instruments. The gauges are read from the table when a metric reader
 * collects (a scrape), not on every batch: counting a large backlog is not free.
 */
export class OutboxMetrics {
  // The metrics API has no proxy provider: a meter taken at import time, before the service's
  // startTelemetry ran, would stay a no-op. Instances are made at app start-up instead.
  readonly #meter: Meter = getMeter('@confer/outbox');
  readonly published: Counter = this.#meter.createCounter('outbox.published', {
    description: 'Events the outbox relay published to JetStream',
  });
  readonly setAside: Counter = this.#meter.createCounter('outbox.set_aside', {
    description: 'Outbox rows moved to event_outbox_dead because they can never be published',
  });
  readonly failedBatches: Counter = this.#meter.createCounter('outbox.failed_batches', {
    description: 'Relay batches that stopped on a publication or database failure',
  });
  readonly #pending: ObservableGauge = this.#meter.createObservableGauge('outbox.pending', {
    description: 'Events waiting in the outbox',
  });
  readonly #oldestAge: ObservableGauge = this.#meter.createObservableGauge('outbox.oldest_pending_age', {
    description: 'Age of the oldest event waiting in the outbox (0 when none)',
    unit: 's',
  });

  /** Starts reporting the gauges from `read`; returns the function that stops it. */
  observe(read: () => Promise<OutboxStats>, attributes: Record<string, string>): () => void {
    const callback: BatchObservableCallback = async (result) => {
      let stats: OutboxStats;
      try {
        stats = await read();
      } catch {
        return; // No sample beats a wrong one; the database check reports the outage.
      }
      result.observe(this.#pending, stats.pending, attributes);
      result.observe(this.#oldestAge, (stats.oldestAgeMs ?? 0) / 1000, attributes);
    };
    this.#meter.addBatchObservableCallback(callback, [this.#pending, this.#oldestAge]);
    return () => this.#meter.removeBatchObservableCallback(callback, [this.#pending, this.#oldestAge]);
  }
}
