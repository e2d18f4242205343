import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { BatchObservableCallback, Counter, Meter, ObservableGauge } from '@opentelemetry/api';
import { DataSource } from 'typeorm';
import { getMeter } from '@confer/telemetry';
import { AppliedBatch } from './attendance-store';

/**
 * The service's instruments on /metrics. Counters move when a batch commits; the gauges are
 * read from the tables when a scrape collects, so every replica reports the same truth.
 */
@Injectable()
export class StatsMetrics implements OnModuleDestroy {
  // Made at app start-up, after startTelemetry: a meter taken at import time would stay a no-op.
  readonly #meter: Meter = getMeter('@confer/stats');
  readonly #joins: Counter = this.#meter.createCounter('stats.peer_joins', {
    description: 'peer.joined events applied',
  });
  readonly #leaves: Counter = this.#meter.createCounter('stats.peer_leaves', {
    description: 'peer.left events applied, by reason',
  });
  readonly #roleChanges: Counter = this.#meter.createCounter('stats.role_changes', {
    description: 'peer.role-changed events applied',
  });
  readonly #refusals: Counter = this.#meter.createCounter('stats.join_refusals', {
    description: 'peer.join-refused events applied, by reason code',
  });
  // No labels: an organisation or room label would grow with every customer.
  readonly #recordedSeconds: Counter = this.#meter.createCounter('stats.recorded_seconds', {
    description: 'Seconds of completed recording parts counted in usage (each part once)',
  });
  readonly #applied: Counter = this.#meter.createCounter('stats.events_applied', {
    description: 'Events applied for the first time',
  });
  readonly #duplicates: Counter = this.#meter.createCounter('stats.events_duplicate', {
    description: 'Redelivered or replayed events that changed nothing',
  });
  readonly #roomsLive: ObservableGauge = this.#meter.createObservableGauge('stats.rooms_live', {
    description: 'Rooms started and not yet ended',
  });
  readonly #peersPresent: ObservableGauge = this.#meter.createObservableGauge('stats.peers_present', {
    description: 'Open sessions: peers joined and not yet left',
  });
  readonly #callback: BatchObservableCallback;

  constructor(dataSource: DataSource) {
    this.#callback = async (result) => {
      try {
        const [row] = await dataSource.query(
          `SELECT (SELECT count(*) FROM room_lives WHERE ended_at IS NULL)::int AS rooms,
                  (SELECT count(*) FROM peer_sessions WHERE left_at IS NULL)::int AS peers`,
        );
        result.observe(this.#roomsLive, row.rooms);
        result.observe(this.#peersPresent, row.peers);
      } catch {
        // No sample beats a wrong one; the database readiness check reports the outage.
      }
    };
    this.#meter.addBatchObservableCallback(this.#callback, [this.#roomsLive, this.#peersPresent]);
  }

  recordBatch(applied: AppliedBatch): void {
    this.#applied.add(applied.fresh);
    if (applied.duplicates > 0) this.#duplicates.add(applied.duplicates);
    if (applied.batch.joins > 0) this.#joins.add(applied.batch.joins);
    if (applied.batch.roleChanges.length > 0) this.#roleChanges.add(applied.batch.roleChanges.length);
    for (const [reason, n] of applied.batch.leavesByReason) this.#leaves.add(n, { reason });
    for (const [reason, n] of applied.batch.refusalsByReason) this.#refusals.add(n, { reason });
    if (applied.recordedSeconds > 0) this.#recordedSeconds.add(applied.recordedSeconds);
  }

  onModuleDestroy(): void {
    this.#meter.removeBatchObservableCallback(this.#callback, [this.#roomsLive, this.#peersPresent]);
  }
}
